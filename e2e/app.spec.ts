import { expect, Page, test } from '@playwright/test';
import { resolve } from 'node:path';

// Playwright runs from the folder of playwright.config.ts, the repository root.
const FIXTURE = resolve('src/testing/fixtures/super-productivity-backup.json');

async function prompt(page: Page, text: string) {
  await page.getByTestId('prompt-input').fill(text);
  await page.getByTestId('prompt-confirm').click();
  await expect(page.getByTestId('prompt-input')).toBeHidden();
}

/** Waits until every change so far is in IndexedDB, so a reload cannot race the last write. */
async function saved(page: Page) {
  await expect(page.getByTestId('toolbar')).toHaveAttribute('data-save-status', 'saved');
}

const row = (page: Page, title: string) => page.getByTestId('task-row').filter({ hasText: title });

test('a project with tasks, a subtask and a tag is still there after a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('welcome-add-project').click();
  await prompt(page, 'Work');
  await expect(page.getByTestId('page-title')).toHaveText('Work');

  const add = page.getByTestId('add-task-input');
  await add.fill('Write the report');
  await add.press('Enter');
  await add.fill('Buy milk');
  await add.press('Enter');
  await expect(page.getByTestId('task-row')).toHaveCount(2);

  await page.getByTestId('add-tag').click();
  await prompt(page, 'urgent');

  await row(page, 'Write the report').getByTestId('task-menu').click();
  await page.getByTestId('add-subtask').click();
  await prompt(page, 'Collect the numbers');
  await expect(page.getByTestId('task-row')).toHaveCount(3);

  await row(page, 'Write the report').getByTestId('task-title').click();
  await page.getByTestId('edit-tags').click();
  await page.getByRole('option', { name: 'urgent' }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('editor-save').click();
  await expect(row(page, 'Write the report').getByTestId('task-tag')).toHaveText('urgent');
  await row(page, 'Buy milk').getByTestId('task-done').locator('input').check();
  await saved(page);

  await page.reload();
  await expect(page.getByTestId('nav-project')).toHaveText([/^Work/]);
  await expect(page.getByTestId('task-row')).toHaveText([/Write the report/, /Collect the numbers/, /Buy milk/]);
  await expect(row(page, 'Write the report').getByTestId('task-tag')).toHaveText('urgent');
  await expect(row(page, 'Buy milk').getByTestId('task-done').locator('input')).toBeChecked();

  await page.getByTestId('nav-tag').filter({ hasText: 'urgent' }).click();
  await expect(page.getByTestId('page-title')).toHaveText('# urgent');
  await expect(page.getByTestId('task-row').first()).toContainText('Write the report');
});

test('importing a Super Productivity backup through the file input shows its tasks, also after a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('import-file-input').setInputFiles(FIXTURE);
  await expect(page.getByRole('dialog')).toContainText('3 tasks, 1 projects');
  await page.getByTestId('import-confirm').click();

  await page.getByTestId('nav-project').filter({ hasText: 'Inbox' }).click();
  await expect(page.getByTestId('task-row')).toHaveText([
    /E2E Import Test - Active Task With Subtask/,
    /E2E Import Test - Subtask of Active Task/,
    /E2E Import Test - Simple Active Task/,
  ]);
  await saved(page);

  await page.reload();
  await expect(page.getByTestId('task-row')).toHaveCount(3);
  await expect(page.getByTestId('nav-tag')).toHaveText([/Today/]);
});

test('a file that is not a backup is refused with the reason, and nothing changes', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('welcome-add-project').click();
  await prompt(page, 'Keep me');
  await page.getByTestId('import-file-input').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"super-sync-backup","formatVersion":1,"data":{"task":[{"id":"abc","title":7}],"project":[]}}'),
  });
  await expect(page.getByTestId('import-errors')).toContainText("task 'abc': title must be a string");
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('nav-project')).toHaveText([/^Keep me/]);
});
