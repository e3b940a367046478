import { expect, Page, test } from '@playwright/test';
import { DROPBOX_APP_KEY, DROPBOX_URL } from './sync-servers';
import { addTask, converge, createProject, Device, openDevice, openProject, quick, renameTask, saved, status, syncNow, taskTitles, uniqueFolder } from './sync-helpers';

// Two browser contexts are two devices, connected to one Dropbox account (the emulator, which
// plays Dropbox's OAuth page, its revisions and its 429s for writes that collide in one account).
test.describe.configure({ timeout: 120_000 });

const devices: Device[] = [];
test.afterEach(async () => {
  for (const device of devices.splice(0)) await device.context.close();
});

/** What a person does: enter the app key, "Connect Dropbox", allow, copy the code Dropbox shows, paste it, finish. */
async function connectDropbox(page: Page, folder: string): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('sync-provider-dropbox').click();
  await page.getByTestId('dropbox-app-key').fill(DROPBOX_APP_KEY);
  await page.getByTestId('dropbox-folder').fill(folder);
  await page.locator('details.advanced summary').click();
  await page.getByTestId('dropbox-api-base-url').fill(DROPBOX_URL);
  const authorizePage = page.context().waitForEvent('page');
  await page.getByTestId('dropbox-connect').click();
  const tab = await authorizePage;
  const code = (await tab.locator('#auth-code').textContent({ timeout: 10_000 }))?.trim() ?? '';
  expect(code).not.toBe('');
  await tab.close();
  await page.getByTestId('dropbox-code').fill(code);
  await page.getByTestId('dropbox-finish').click();
  await expect(page.getByTestId('sync-settings')).toHaveAttribute('data-provider', 'dropbox');
  await expect(page.getByTestId('dropbox-account')).toContainText('Emulated User');
}

test('two devices connect Dropbox by pasting the code, sync both ways, and review a real conflict', async ({ browser }) => {
  const folder = uniqueFolder('dropbox').replace(/\//g, '-');
  const a = await openDevice(browser, 'A');
  const b = await openDevice(browser, 'B');
  devices.push(a, b);

  await createProject(a.page, 'Shared', ['Alpha']);
  await connectDropbox(a.page, folder);
  await syncNow(a.page);
  await connectDropbox(b.page, folder);
  await converge([b], async () => {
    await expect(b.page.getByTestId('nav-project')).toHaveText([/^Shared/], quick);
  });
  await openProject(a.page, 'Shared');
  await openProject(b.page, 'Shared');

  // B to A: a new task.
  await addTask(b.page, 'From B');
  await saved(b.page);
  await converge([b, a], async () => {
    expect(await taskTitles(a.page)).toEqual(['Alpha', 'From B']);
  });

  // The same title changed on both while offline: one wins on both, and the conflict is shown for review.
  for (const { context } of [a, b]) await context.setOffline(true);
  await renameTask(a.page, 'Alpha', 'Alpha from A');
  await renameTask(b.page, 'Alpha', 'Alpha from B');
  for (const { page } of [a, b]) await saved(page);
  for (const { context } of [a, b]) await context.setOffline(false);
  await converge([a, b], async () => {
    for (const { page } of [a, b]) {
      expect(await taskTitles(page)).toEqual(['Alpha from B', 'From B']);
      await expect(status(page)).toHaveAttribute('data-conflicts', '1', quick);
    }
  });

  await a.page.getByTestId('sync-conflicts-badge').click();
  const item = a.page.getByTestId('conflict-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('conflict-shown-value')).toHaveText('Alpha from B');
  await expect(item.getByTestId('conflict-other-value')).toHaveText('Alpha from A');
  await item.getByTestId('conflict-use-other').click();
  await a.page.getByTestId('conflicts-close').click();
  await converge([a, b], async () => {
    for (const { page } of [a, b]) {
      expect(await taskTitles(page)).toEqual(['Alpha from A', 'From B']);
      await expect(status(page)).toHaveAttribute('data-conflicts', '0', quick);
    }
  });
});
