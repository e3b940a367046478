import { expect, Page, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { oneProjectBackup } from './backup-files';
import { addTask, connectWebDav, createProject, prompt, row, saved, uniqueFolder } from './sync-helpers';
import { NEPHELE_URL } from './sync-servers';

// The rough edges a first try of the app ran into, each as a person meets it.

test('keys typed the moment a dialog opens land in its input', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('welcome-add-project').click();
  // No wait for the dialog: a person types straight away.
  await page.keyboard.type('Quick project');
  await expect(page.getByTestId('prompt-input')).toHaveValue('Quick project');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('page-title')).toHaveText('Quick project');

  await addTask(page, 'A task');
  await row(page, 'A task').getByTestId('task-title').click();
  await page.keyboard.type(' renamed');
  await expect(page.getByTestId('edit-title')).toHaveValue('A task renamed');
});

test('a task added on a tag page stays findable in the Inbox once its tag is deleted', async ({ page }) => {
  await page.goto('/');
  await createProject(page, 'Home', []);
  await page.getByTestId('add-tag').click();
  await prompt(page, 'someday');
  await page.getByTestId('nav-tag').filter({ hasText: 'someday' }).click();
  await expect(page.getByTestId('page-title')).toHaveText('# someday');
  await addTask(page, 'Learn the banjo');
  await expect(page.getByTestId('nav-inbox-count')).toHaveText('1');

  await page.getByTestId('delete-tag').click();
  await expect(page.getByTestId('nav-tag')).toHaveCount(0);
  await page.getByTestId('nav-inbox').click();
  await expect(page.getByTestId('page-title')).toHaveText('Inbox');
  await expect(row(page, 'Learn the banjo')).toHaveCount(1);
  await saved(page);
  await page.reload();
  await page.getByTestId('nav-inbox').click();
  await expect(row(page, 'Learn the banjo')).toHaveCount(1);
});

test('a task added to a project of 500 tasks is shown, not added out of sight', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('import-file-input').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: oneProjectBackup(500, 'Long') });
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('nav-project').filter({ hasText: 'Long' }).click();
  await expect(page.getByTestId('task-row').first()).toContainText('Task number 0');
  for (const title of ['Brand new one', 'Brand new two']) {
    const input = page.getByTestId('add-task-input');
    await input.fill(title);
    await input.press('Enter');
    await expect(row(page, title)).toBeInViewport();
  }
});

test('the tag page counts its tasks in good English', async ({ page }) => {
  await page.goto('/');
  await createProject(page, 'Home', []);
  await page.getByTestId('add-tag').click();
  await prompt(page, 'solo');
  await page.getByTestId('nav-tag').filter({ hasText: 'solo' }).click();
  await addTask(page, 'Only task');
  await expect(page.locator('.page-header .sub')).toHaveText('1 tagged task');
});

test('two installations get different default device names', async ({ browser }) => {
  const names: string[] = [];
  const folder = uniqueFolder('names');
  for (let i = 0; i < 2; i += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/');
    await connectWebDav(page, { url: NEPHELE_URL, folder });
    const name = page.getByTestId('sync-device-name');
    await expect(name).not.toHaveValue('');
    names.push(await name.inputValue());
    // The name is stored, not recomputed: a reload shows the same one.
    await page.reload();
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('sync-device-name')).toHaveValue(names[i]!);
    await context.close();
  }
  expect(names[0]).toMatch(/^Chrome on \w+ · [a-z0-9]{4}$/);
  expect(names[0]).not.toBe(names[1]);
});

test('the production build opens with no network once it has been opened', async ({ browser }) => {
  const port = 4391;
  const server = spawn('node', ['tools/serve-dist.mjs', '--port', String(port), '--dir', 'dist/e2e-app/browser'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await waitForServer(url);
    await page.goto(url);
    await createProject(page, 'On the train', ['Read the paper']);
    await saved(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true);
    await waitForAppShellCached(page);
  } finally {
    server.kill();
  }
  await expect.poll(async () => fetch(url).then(() => 'up', () => 'down')).toBe('down');
  await page.reload();
  await expect(page.getByTestId('toolbar')).toBeVisible();
  await page.getByTestId('nav-project').filter({ hasText: 'On the train' }).click();
  await expect(row(page, 'Read the paper')).toHaveCount(1);
  await context.close();
});

async function waitForServer(url: string): Promise<void> {
  await expect.poll(async () => fetch(url).then((r) => r.status, () => 0), { timeout: 20_000 }).toBe(200);
}

/** The worker prefetches the app shell after it installs: wait until every file of it is cached. */
async function waitForAppShellCached(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const manifest = (await (await fetch('/ngsw.json', { cache: 'no-store' })).json()) as { assetGroups: { urls: string[] }[] };
          const urls = manifest.assetGroups.flatMap((group) => group.urls);
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            const hits = await Promise.all(urls.map((u) => cache.match(u)));
            if (hits.every(Boolean)) return true;
          }
          return false;
        }),
      { timeout: 30_000 },
    )
    .toBe(true);
}
