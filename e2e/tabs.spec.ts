import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { NEPHELE_URL } from './sync-servers';
import { addTask, connectWebDav, converge, createProject, Device, openProject, quick, renameTask, row, saved, setNotes, status, syncNow, uniqueFolder } from './sync-helpers';

// Tabs of one browser context share one profile: one IndexedDB, one BroadcastChannel, one set of
// Web Locks. Each test opens several tabs of one profile (and a second device where sync matters).
test.describe.configure({ timeout: 120_000 });

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function profile(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  contexts.push(context);
  return context;
}

async function tab(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  await page.goto('/');
  await expect(status(page)).not.toHaveAttribute('data-state', 'starting');
  return page;
}

async function notesOf(page: Page, title: string): Promise<string> {
  await row(page, title).getByTestId('task-title').click();
  const notes = await page.getByTestId('edit-notes').inputValue();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('edit-notes')).toBeHidden();
  return notes;
}

test('sync off: notes saved in one tab and the title saved in another are both there after a reload', async ({ browser }) => {
  const context = await profile(browser);
  const first = await tab(context, 'tab 1');
  await createProject(first, 'Home', ['Call mum']);
  const second = await tab(context, 'tab 2');
  await openProject(second, 'Home');
  await expect(row(second, 'Call mum')).toHaveCount(1);

  // Tab 2 opens the task's editor first; tab 1 then saves notes; tab 2 saves a new title.
  await row(second, 'Call mum').getByTestId('task-title').click();
  await expect(second.getByTestId('edit-title')).toBeVisible();
  await setNotes(first, 'Call mum', 'Ask about Sunday');
  await saved(first);
  await second.getByTestId('edit-title').fill('Call mum today');
  await second.getByTestId('editor-save').click();
  await expect(row(second, 'Call mum today')).toHaveCount(1);
  await saved(second);

  for (const page of [first, second]) {
    await page.reload();
    await expect(status(page)).not.toHaveAttribute('data-state', 'starting');
    await openProject(page, 'Home');
    await expect(row(page, 'Call mum today')).toHaveCount(1);
    expect(await notesOf(page, 'Call mum today')).toBe('Ask about Sunday');
  }
});

test('an edit in one tab shows in the other tabs within a second with the sync server unreachable, also after the first tab closes', async ({ browser }) => {
  const context = await profile(browser);
  const first = await tab(context, 'tab 1');
  await createProject(first, 'Work', ['Report']);
  // A sync target nothing answers on: whatever reaches the other tabs does not come through a server.
  await connectWebDav(first, { url: 'http://127.0.0.1:9/', folder: uniqueFolder('tabs') });
  const second = await tab(context, 'tab 2');
  const third = await tab(context, 'tab 3');
  for (const page of [second, third]) await openProject(page, 'Work');
  await openProject(first, 'Work');

  await addTask(first, 'Slides');
  for (const page of [second, third]) await expect(row(page, 'Slides')).toHaveCount(1, { timeout: 1_000 });

  // The tab that led goes; the others carry on as one device.
  await first.close();
  await addTask(second, 'Budget');
  await expect(row(third, 'Budget')).toHaveCount(1, { timeout: 2_000 });
  await renameTask(third, 'Report', 'Report v2');
  await expect(row(second, 'Report v2')).toHaveCount(1, { timeout: 1_000 });
  await saved(second);
  await saved(third);

  const reopened = await tab(context, 'tab 4');
  await openProject(reopened, 'Work');
  await expect(reopened.getByTestId('task-row')).toHaveCount(3);
  await expect(row(reopened, 'Report v2')).toHaveCount(1);
});

test('offline edits in two tabs, one tab closed, then online: both edits reach the other device', async ({ browser }) => {
  const folder = uniqueFolder('tabs-offline');
  const laptop = await profile(browser);
  const first = await tab(laptop, 'laptop tab 1');
  await createProject(first, 'Shared', ['Existing']);
  await connectWebDav(first, { url: NEPHELE_URL, folder });
  await syncNow(first);
  const second = await tab(laptop, 'laptop tab 2');

  const phoneContext = await profile(browser);
  const phone: Device = { name: 'phone', context: phoneContext, page: await tab(phoneContext, 'phone') };
  await connectWebDav(phone.page, { url: NEPHELE_URL, folder });
  await converge([phone], async () => {
    await expect(phone.page.getByTestId('nav-project')).toHaveText([/^Shared/], quick);
  });

  await laptop.setOffline(true);
  await openProject(first, 'Shared');
  await openProject(second, 'Shared');
  await addTask(first, 'Written in tab 1');
  await addTask(second, 'Written in tab 2');
  await saved(first);
  await saved(second);
  // The tab that led closes while offline; the other takes over and goes online.
  await first.close();
  await laptop.setOffline(false);
  await syncNow(second);

  await openProject(phone.page, 'Shared');
  await converge([phone], async () => {
    await expect(row(phone.page, 'Written in tab 1')).toHaveCount(1, quick);
    await expect(row(phone.page, 'Written in tab 2')).toHaveCount(1, quick);
  });
  // And on the laptop after a restart of its last tab.
  await second.reload();
  await openProject(second, 'Shared');
  await expect(second.getByTestId('task-row')).toHaveCount(3);
});

test('a tab opened before a sync brought the phone\'s notes does not write its old copy over them', async ({ browser }) => {
  const folder = uniqueFolder('tabs-stale');
  const laptop = await profile(browser);
  const first = await tab(laptop, 'laptop tab 1');
  await createProject(first, 'Trip', ['Plan']);
  await connectWebDav(first, { url: NEPHELE_URL, folder });
  await syncNow(first);
  const second = await tab(laptop, 'laptop tab 2');
  await openProject(second, 'Trip');
  // This tab reaches no server of its own (a background tab whose timers the browser throttles is the
  // everyday case): whatever it learns of the phone's edit must come from the other tab.
  await second.route(`${NEPHELE_URL}**`, (route) => route.abort('internetdisconnected'));

  const phoneContext = await profile(browser);
  const phone: Device = { name: 'phone', context: phoneContext, page: await tab(phoneContext, 'phone') };
  await connectWebDav(phone.page, { url: NEPHELE_URL, folder });
  await converge([phone], async () => {
    await expect(phone.page.getByTestId('nav-project')).toHaveText([/^Trip/], quick);
  });
  await openProject(phone.page, 'Trip');
  await setNotes(phone.page, 'Plan', 'Book the ferry');
  await syncNow(phone.page);

  // The laptop's first tab syncs and brings the notes; the second tab, opened before, edits the title.
  await converge([{ name: 'laptop', context: laptop, page: first }], async () => {
    await openProject(first, 'Trip');
    expect(await notesOf(first, 'Plan')).toBe('Book the ferry');
  });
  await renameTask(second, 'Plan', 'Plan the route');
  await saved(second);

  await converge([{ name: 'laptop', context: laptop, page: first }, phone], async () => {
    await expect(row(phone.page, 'Plan the route')).toHaveCount(1, quick);
  });
  expect(await notesOf(phone.page, 'Plan the route')).toBe('Book the ferry');
  for (const page of [first, second]) {
    await page.reload();
    await expect(status(page)).not.toHaveAttribute('data-state', 'starting');
    await openProject(page, 'Trip');
    expect(await notesOf(page, 'Plan the route')).toBe('Book the ferry');
  }
});
