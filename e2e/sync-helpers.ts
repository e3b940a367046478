import { Browser, BrowserContext, expect, Locator, Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';

/** One device: a browser context of its own (its own IndexedDB), with one page. */
export interface Device {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
}

export interface WebDavTarget {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly folder: string;
}

/** A sync folder of its own for each test, so no test sees another's data. */
export function uniqueFolder(label: string): string {
  return `e2e-${label}-${randomBytes(4).toString('hex')}`;
}

export async function openDevice(browser: Browser, name: string): Promise<Device> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  await page.goto('/');
  await expect(status(page)).not.toHaveAttribute('data-state', 'starting');
  return { name, context, page };
}

export const status = (page: Page): Locator => page.getByTestId('sync-status');
export const row = (page: Page, title: string | RegExp): Locator => page.getByTestId('task-row').filter({ hasText: title });

export async function prompt(page: Page, text: string): Promise<void> {
  await page.getByTestId('prompt-input').fill(text);
  await page.getByTestId('prompt-confirm').click();
  await expect(page.getByTestId('prompt-input')).toBeHidden();
}

/** Waits until every change so far is in IndexedDB. */
export async function saved(page: Page): Promise<void> {
  await expect(page.getByTestId('toolbar')).toHaveAttribute('data-save-status', 'saved');
}

export async function createProject(page: Page, title: string, tasks: string[]): Promise<void> {
  const welcome = page.getByTestId('welcome-add-project');
  if (await welcome.isVisible()) await welcome.click();
  else await page.getByTestId('add-project').click();
  await prompt(page, title);
  await expect(page.getByTestId('page-title')).toHaveText(title);
  for (const task of tasks) await addTask(page, task);
}

export async function addTask(page: Page, title: string): Promise<void> {
  const input = page.getByTestId('add-task-input');
  await input.fill(title);
  await input.press('Enter');
  await expect(row(page, title)).toHaveCount(1);
}

export async function openProject(page: Page, title: string): Promise<void> {
  await page.getByTestId('nav-project').filter({ hasText: title }).click();
  await expect(page.getByTestId('page-title')).toHaveText(title);
}

export async function renameTask(page: Page, from: string, to: string): Promise<void> {
  await row(page, from).getByTestId('task-title').click();
  await page.getByTestId('edit-title').fill(to);
  await page.getByTestId('editor-save').click();
  await expect(row(page, to)).toHaveCount(1);
}

export async function setNotes(page: Page, title: string, notes: string): Promise<void> {
  await row(page, title).getByTestId('task-title').click();
  await page.getByTestId('edit-notes').fill(notes);
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor-save')).toBeHidden();
}

export async function markDone(page: Page, title: string): Promise<void> {
  await row(page, title).getByTestId('task-done').locator('input').check();
}

export async function deleteTask(page: Page, title: string): Promise<void> {
  await row(page, title).getByTestId('task-menu').click();
  await page.getByTestId('delete-task').click();
  await expect(row(page, title)).toHaveCount(0);
}

/** Sets WebDAV up through the settings page, as a person would; stays on the settings page. */
export async function connectWebDav(page: Page, target: WebDavTarget, options: { test?: boolean } = {}): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('sync-provider-webdav').click();
  await page.getByTestId('webdav-url').fill(target.url);
  await page.getByTestId('webdav-username').fill(target.username ?? '');
  await page.getByTestId('webdav-password').fill(target.password ?? '');
  await page.getByTestId('webdav-folder').fill(target.folder);
  if (options.test) {
    await page.getByTestId('sync-test-connection').click();
    await expect(page.getByTestId('connection-report')).toBeVisible({ timeout: 20_000 });
  }
  await page.getByTestId('sync-save').click();
  await expect(page.getByTestId('sync-settings')).toHaveAttribute('data-provider', 'webdav');
}

/**
 * "Sync now" from the indicator's menu; resolves when a round that ended after the click
 * succeeded. The round may have started earlier (one was running): callers that need another
 * device's changes use `converge`.
 */
export async function syncNow(page: Page, expected: 'synced' | 'error' = 'synced'): Promise<void> {
  const indicator = status(page);
  await expect(indicator).not.toHaveAttribute('data-state', /starting|syncing/);
  const before = (await indicator.getAttribute('data-synced-at')) ?? '';
  const menu = page.locator('.sync-menu');
  if (await menu.isVisible()) await page.keyboard.press('Escape');
  await page.getByTestId('sync-status-button').click();
  await page.getByTestId('sync-now').click();
  await expect(menu).toBeHidden();
  if (expected === 'synced') {
    await expect(indicator).toHaveAttribute('data-state', 'synced', { timeout: 20_000 });
    await expect(indicator).not.toHaveAttribute('data-synced-at', before, { timeout: 20_000 });
  } else {
    await expect(indicator).toHaveAttribute('data-state', 'error', { timeout: 20_000 });
  }
}

/** Syncs every device in turn until `check` passes: the contract's "every device synced twice", made robust to rounds the app starts itself. */
export async function converge(devices: readonly Device[], check: () => Promise<void>, timeout = 60_000): Promise<void> {
  await expect(async () => {
    for (const device of devices) await syncNow(device.page);
    await check();
  }).toPass({ timeout, intervals: [250, 500, 1000, 2000] });
}

/** Titles of the task rows in page order. */
export async function taskTitles(page: Page): Promise<string[]> {
  return (await page.getByTestId('task-title').locator('.text').allTextContents()).map((t) => t.trim());
}

/** Short expectations inside `converge`: fail fast and let the loop sync again. */
export const quick = { timeout: 1_500 };
