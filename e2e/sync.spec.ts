import { expect, test } from '@playwright/test';
import { NEPHELE_URL, WEBDAV_SERVER_PASSWORD, WEBDAV_SERVER_URL, WEBDAV_SERVER_USER } from './sync-servers';
import {
  addTask,
  connectWebDav,
  converge,
  createProject,
  deleteTask,
  Device,
  markDone,
  openDevice,
  openProject,
  quick,
  renameTask,
  row,
  saved,
  status,
  syncNow,
  taskTitles,
  uniqueFolder,
  WebDavTarget,
} from './sync-helpers';

// Two (or three) browser contexts are two devices: each has its own IndexedDB and syncs through
// a local server started by playwright.config.ts, in a folder no other test uses.
test.describe.configure({ timeout: 120_000 });

const devices: Device[] = [];
test.afterEach(async () => {
  for (const device of devices.splice(0)) await device.context.close();
});

async function device(browser: import('@playwright/test').Browser, name: string): Promise<Device> {
  const opened = await openDevice(browser, name);
  devices.push(opened);
  return opened;
}

/** Offline, no device can see another's edits: what `edit` does on each is a real concurrent change. */
async function whileOffline(offline: readonly Device[], edit: () => Promise<void>): Promise<void> {
  for (const { context } of offline) await context.setOffline(true);
  await edit();
  for (const { page } of offline) await saved(page);
  for (const { context } of offline) await context.setOffline(false);
}

/** Device A has project "Shared" with the given tasks and has synced it; device B connected and received it. */
async function twoDevicesSharing(browser: import('@playwright/test').Browser, target: WebDavTarget, tasks: string[]) {
  const a = await device(browser, 'A');
  const b = await device(browser, 'B');
  await createProject(a.page, 'Shared', tasks);
  await connectWebDav(a.page, target);
  await syncNow(a.page);
  await openProject(a.page, 'Shared');
  await connectWebDav(b.page, target);
  await converge([b], async () => {
    await expect(b.page.getByTestId('nav-project')).toHaveText([/^Shared/], quick);
  });
  await openProject(b.page, 'Shared');
  await expect(b.page.getByTestId('task-row')).toHaveCount(tasks.length);
  return { a, b };
}

test('two devices editing different tasks both end up with both edits', async ({ browser }) => {
  const target = { url: NEPHELE_URL, folder: uniqueFolder('different-tasks') };
  const { a, b } = await twoDevicesSharing(browser, target, ['Alpha', 'Beta']);

  await renameTask(a.page, 'Alpha', 'Alpha edited on A');
  await renameTask(b.page, 'Beta', 'Beta edited on B');

  await converge([a, b], async () => {
    for (const { page } of [a, b]) expect(await taskTitles(page)).toEqual(['Alpha edited on A', 'Beta edited on B']);
  });
  await expect(status(a.page)).toHaveAttribute('data-conflicts', '0');
  await expect(status(b.page)).toHaveAttribute('data-conflicts', '0');
});

test('a title changed on one device and the task marked done on the other keeps both changes', async ({ browser }) => {
  const target = { url: NEPHELE_URL, folder: uniqueFolder('title-and-done') };
  const { a, b } = await twoDevicesSharing(browser, target, ['Alpha', 'Beta']);

  await renameTask(a.page, 'Alpha', 'Alpha renamed');
  await markDone(b.page, 'Alpha');

  await converge([a, b], async () => {
    for (const { page } of [a, b]) {
      await expect(row(page, 'Alpha renamed').getByTestId('task-done').locator('input')).toBeChecked(quick);
    }
  });
  await expect(status(a.page)).toHaveAttribute('data-conflicts', '0');
});

test('the same title changed on both devices: one wins everywhere, the loser reviews the conflict and "Use the other" restores its value on both', async ({ browser }) => {
  const target = { url: NEPHELE_URL, folder: uniqueFolder('same-title') };
  const { a, b } = await twoDevicesSharing(browser, target, ['Alpha']);

  // B edits last, so B's stamp wins.
  await whileOffline([a, b], async () => {
    await renameTask(a.page, 'Alpha', 'Title from A');
    await renameTask(b.page, 'Alpha', 'Title from B');
  });

  await converge([a, b], async () => {
    for (const { page } of [a, b]) {
      expect(await taskTitles(page)).toEqual(['Title from B']);
      await expect(status(page)).toHaveAttribute('data-conflicts', '1', quick);
    }
  });

  await a.page.getByTestId('sync-conflicts-badge').click();
  const item = a.page.getByTestId('conflict-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('conflict-field')).toHaveText('Title');
  await expect(item.getByTestId('conflict-shown-value')).toHaveText('Title from B');
  await expect(item.getByTestId('conflict-other-value')).toHaveText('Title from A');
  await item.getByTestId('conflict-use-other').click();
  await expect(a.page.getByTestId('conflicts-empty')).toBeVisible();
  await a.page.getByTestId('conflicts-close').click();
  expect(await taskTitles(a.page)).toEqual(['Title from A']);

  await converge([a, b], async () => {
    for (const { page } of [a, b]) {
      expect(await taskTitles(page)).toEqual(['Title from A']);
      await expect(status(page)).toHaveAttribute('data-conflicts', '0', quick);
    }
  });
});

test('a task deleted on one device while edited on the other survives, with a conflict record', async ({ browser }) => {
  const target = { url: NEPHELE_URL, folder: uniqueFolder('delete-vs-edit') };
  const { a, b } = await twoDevicesSharing(browser, target, ['Alpha', 'Beta']);

  await whileOffline([a, b], async () => {
    await deleteTask(a.page, 'Alpha');
    await renameTask(b.page, 'Alpha', 'Alpha still needed');
  });

  // The delete took the task out of the project's list, so the repair puts it back at the end.
  await converge([a, b], async () => {
    for (const { page } of [a, b]) {
      expect(await taskTitles(page)).toEqual(['Beta', 'Alpha still needed']);
      await expect(status(page)).not.toHaveAttribute('data-conflicts', '0', quick);
    }
  });

  await a.page.getByTestId('sync-status-button').click();
  await a.page.getByTestId('sync-review-conflicts').click();
  const item = a.page.getByTestId('conflict-item').filter({ hasText: 'Deleted on one device, edited on another' });
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('conflict-title')).toHaveText('Alpha still needed');
  await expect(item.getByTestId('conflict-shown-value')).toHaveText('Kept, with an edit');
  await expect(item.getByTestId('conflict-other-value')).toHaveText('Deleted');
});

test('tasks added to one project on two offline devices all arrive, in one order on both', async ({ browser }) => {
  const target = { url: NEPHELE_URL, folder: uniqueFolder('offline-adds') };
  const { a, b } = await twoDevicesSharing(browser, target, ['Existing']);

  await whileOffline([a, b], async () => {
    await expect(status(a.page)).toHaveAttribute('data-state', 'offline');
    await addTask(a.page, 'From A one');
    await addTask(b.page, 'From B one');
    await addTask(a.page, 'From A two');
    await addTask(b.page, 'From B two');
  });

  const all = ['Existing', 'From A one', 'From A two', 'From B one', 'From B two'];
  await converge([a, b], async () => {
    const onA = await taskTitles(a.page);
    expect([...onA].sort()).toEqual(all);
    expect(await taskTitles(b.page)).toEqual(onA);
  });
});

test('a wrong WebDAV password shows the login error on the settings page, and nothing is lost', async ({ browser }) => {
  const folder = uniqueFolder('wrong-password');
  const a = await device(browser, 'A');
  await createProject(a.page, 'Precious', ['Keep me', 'Me too']);
  await saved(a.page);

  await connectWebDav(a.page, { url: WEBDAV_SERVER_URL, username: WEBDAV_SERVER_USER, password: 'not-the-password', folder }, { test: true });
  const report = a.page.getByTestId('connection-report');
  await expect(report).toHaveAttribute('data-ok', 'false');
  await expect(report).toContainText('refused the login (401)');
  await expect(report).toContainText('Check the user name and password');

  // Saved anyway: the sync fails with the login error, on the page and in the toolbar.
  await expect(status(a.page)).toHaveAttribute('data-state', 'error', { timeout: 20_000 });
  await expect(a.page.getByTestId('sync-status-label')).toHaveText('Login refused');
  await expect(a.page.getByTestId('sync-settings-error')).toHaveAttribute('data-code', 'auth');
  await expect(a.page.getByTestId('sync-settings-error')).toContainText('refused the login (401)');

  await a.page.reload();
  await openProject(a.page, 'Precious');
  expect(await taskTitles(a.page)).toEqual(['Keep me', 'Me too']);

  // With the right password the same data reaches the server, and another device.
  await connectWebDav(a.page, { url: WEBDAV_SERVER_URL, username: WEBDAV_SERVER_USER, password: WEBDAV_SERVER_PASSWORD, folder });
  await syncNow(a.page);
  const b = await device(browser, 'B');
  await connectWebDav(b.page, { url: WEBDAV_SERVER_URL, username: WEBDAV_SERVER_USER, password: WEBDAV_SERVER_PASSWORD, folder });
  await converge([b], async () => {
    await expect(b.page.getByTestId('nav-project')).toHaveText([/^Precious/], quick);
  });
  await openProject(b.page, 'Precious');
  expect(await taskTitles(b.page)).toEqual(['Keep me', 'Me too']);
});

test('two devices sync through a server that ignores If-Match, in lock mode', async ({ browser }) => {
  const target = { url: WEBDAV_SERVER_URL, username: WEBDAV_SERVER_USER, password: WEBDAV_SERVER_PASSWORD, folder: uniqueFolder('lock-mode') };
  const a = await device(browser, 'A');
  await createProject(a.page, 'Locked', ['First', 'Second']);
  await connectWebDav(a.page, target, { test: true });
  await expect(a.page.getByTestId('connection-report')).toHaveAttribute('data-mode', 'lock');
  await expect(a.page.getByTestId('connection-report')).toContainText('take turns');
  await expect(a.page.getByTestId('sync-current-mode')).toHaveText('Lock mode');
  await syncNow(a.page);

  const b = await device(browser, 'B');
  await connectWebDav(b.page, target, { test: true });
  await expect(b.page.getByTestId('connection-remote-has-data')).toContainText('merges');
  await converge([b], async () => {
    await expect(b.page.getByTestId('nav-project')).toHaveText([/^Locked/], quick);
  });
  await openProject(b.page, 'Locked');
  await openProject(a.page, 'Locked');

  await renameTask(a.page, 'First', 'First, from A');
  await addTask(b.page, 'Third, from B');
  await converge([a, b], async () => {
    for (const { page } of [a, b]) expect(await taskTitles(page)).toEqual(['First, from A', 'Second', 'Third, from B']);
  });
});

test('a new, empty third device receives everything and leaves the remote unchanged', async ({ browser, request }) => {
  const target = { url: NEPHELE_URL, folder: uniqueFolder('third-device') };
  const { a, b } = await twoDevicesSharing(browser, target, ['One', 'Two']);
  await addTask(b.page, 'Three');
  await converge([b, a], async () => {
    expect(await taskTitles(a.page)).toEqual(['One', 'Two', 'Three']);
  });
  await a.context.close();
  await b.context.close();
  devices.splice(0);

  const metaUrl = `${NEPHELE_URL}${target.folder}/meta.json`;
  const listing = async () =>
    (await (await request.fetch(`${NEPHELE_URL}${target.folder}/deltas/`, { method: 'PROPFIND', headers: { Depth: '1' } })).text()).match(/<[^>]*href>[^<]*<\/[^>]*href>/g)?.sort();
  const metaBefore = await (await request.get(metaUrl)).text();
  const filesBefore = await listing();
  expect(metaBefore).toContain('"format":"super-sync/meta"');

  const c = await device(browser, 'C');
  await expect(c.page.getByTestId('welcome-add-project')).toBeVisible();
  await connectWebDav(c.page, target, { test: true });
  await expect(c.page.getByTestId('connection-remote-has-data')).toBeVisible();
  await converge([c], async () => {
    await expect(c.page.getByTestId('nav-project')).toHaveText([/^Shared/], quick);
  });
  await openProject(c.page, 'Shared');
  expect(await taskTitles(c.page)).toEqual(['One', 'Two', 'Three']);
  await syncNow(c.page);

  expect(await (await request.get(metaUrl)).text()).toBe(metaBefore);
  expect(await listing()).toEqual(filesBefore);
});
