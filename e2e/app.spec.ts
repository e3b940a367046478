import { expect, Page, test } from '@playwright/test';
import { resolve } from 'node:path';
import { oneProjectBackup } from './backup-files';

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
  await expect(page.getByRole('dialog')).toContainText('3 tasks, 1 project, 1 tag and 0 days of metrics');
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


test('a project of 10,000 tasks keeps only the visible rows in the page and scrolls to the last one', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('import-file-input').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: oneProjectBackup(10_000, 'Big') });
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('nav-project').filter({ hasText: 'Big' }).click();
  await expect(page.getByTestId('task-row').first()).toContainText('Task number 0');
  expect(await page.getByTestId('task-row').count()).toBeLessThan(80);

  const started = Date.now();
  await page.locator('cdk-virtual-scroll-viewport').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(page.getByTestId('task-row').filter({ hasText: 'Task number 9999' })).toBeVisible();
  expect(Date.now() - started).toBeLessThan(3000);
  expect(await page.getByTestId('task-row').count()).toBeLessThan(80);
  await saved(page);
});

test('dragging a task to the top of its project reorders it, and the order survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('welcome-add-project').click();
  await prompt(page, 'Order');
  const add = page.getByTestId('add-task-input');
  for (const title of ['First', 'Second', 'Third']) {
    await add.fill(title);
    await add.press('Enter');
  }
  await expect(page.getByTestId('task-row')).toHaveText([/First/, /Second/, /Third/]);

  const handle = row(page, 'Third').locator('[cdkDragHandle], .handle');
  const from = (await handle.boundingBox())!;
  const to = (await row(page, 'First').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  // CDK starts a drag after a few pixels of movement; then glide in steps to the first row.
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 10, { steps: 5 });
  await page.mouse.move(from.x + from.width / 2, to.y + 5, { steps: 20 });
  await page.mouse.up();

  await expect(page.getByTestId('task-row')).toHaveText([/Third/, /First/, /Second/]);
  await saved(page);
  await page.reload();
  await expect(page.getByTestId('task-row')).toHaveText([/Third/, /First/, /Second/]);
});

test('an export imported into a fresh browser brings back the same projects and tasks', async ({ page, browser }) => {
  await page.goto('/');
  await page.getByTestId('welcome-add-project').click();
  await prompt(page, 'Portable');
  await page.getByTestId('add-task-input').fill('Travels well');
  await page.getByTestId('add-task-input').press('Enter');
  await expect(page.getByTestId('task-row')).toHaveCount(1);

  await page.getByTestId('data-menu').click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^tandem-tasks-backup-.*\.json$/);
  const file = await download.path();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto('/');
  await expect(other.getByTestId('nav-project')).toHaveCount(0);
  await other.getByTestId('import-file-input').setInputFiles(file);
  await expect(other.getByRole('dialog')).toContainText('1 task, 1 project');
  await other.getByTestId('import-confirm').click();
  await other.getByTestId('nav-project').filter({ hasText: 'Portable' }).click();
  await expect(other.getByTestId('task-row')).toHaveText([/Travels well/]);
  await fresh.close();
});

test('two app instances in one browser keep their data apart with ?db=, also across reloads', async ({ page, context }) => {
  await page.goto('/?db=device-a');
  await page.getByTestId('welcome-add-project').click();
  await prompt(page, 'Only on A');
  await saved(page);

  const b = await context.newPage();
  await b.goto('/?db=device-b');
  await expect(b.getByTestId('welcome-add-project')).toBeVisible();
  await expect(b.getByTestId('nav-project')).toHaveCount(0);

  // The project route dropped the query; the tab still remembers its database on reload.
  await page.reload();
  await expect(page.getByTestId('nav-project')).toHaveText([/^Only on A/]);
});
