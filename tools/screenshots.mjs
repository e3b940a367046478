#!/usr/bin/env node
// Takes the screenshots in docs/screenshots/ again: builds the app, serves it, fills it with demo
// data through the import file input (as a person would), and photographs the main screens.
// Usage: npm run screenshots   (set SKIP_BUILD=1 to reuse dist/)
import { chromium } from '@playwright/test';
import { execSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PORT = 4310;
const OUT = 'docs/screenshots';
const base = `http://127.0.0.1:${PORT}`;
// Local sync servers of their own (never the :8081 one `npm start` runs): nephele (compare-and-swap)
// and webdav-server v2 (lock mode, login sync / sync-password).
const NEPHELE = 'http://127.0.0.1:8391/';
const WEBDAV_SERVER = 'http://127.0.0.1:8392/';

function demoBackup() {
  const now = Date.UTC(2026, 10, 25, 9, 0);
  const meta = { version: 1, lastModifiedAt: now, lastModifiedBy: 'demo' };
  const day = (offset) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  const tags = [
    { id: 't-urgent', title: 'urgent', color: '#e91e63' },
    { id: 't-deep', title: 'deep work', color: '#3f51b5' },
    { id: 't-errand', title: 'errand', color: '#009688' },
  ];
  const projects = [
    { id: 'p1-work', title: 'Work', theme: { primary: '#673ab7' } },
    { id: 'p2-home', title: 'Home', theme: { primary: '#009688' } },
    { id: 'p3-trip', title: 'Trip to Lisbon', theme: { primary: '#ff9800' } },
  ];
  const tasks = [];
  const add = (id, projectId, title, extra = {}) =>
    tasks.push({ id, title, notes: '', isDone: false, doneOn: null, projectId, parentId: null, subTaskIds: [], tagIds: [],
      timeEstimate: 0, timeSpent: 0, timeSpentOnDay: {}, dueDay: null, created: now, ...meta, ...extra });
  add('w1', 'p1-work', 'Write the quarterly report', { tagIds: ['t-deep'], timeEstimate: 3 * 3600_000, dueDay: day(2), notes: 'Numbers from finance first.' });
  add('w1a', 'p1-work', 'Collect numbers from finance', { parentId: 'w1', isDone: true, doneOn: now });
  add('w1b', 'p1-work', 'Draft the summary', { parentId: 'w1', timeEstimate: 3600_000 });
  add('w2', 'p1-work', 'Review pull request #42', { tagIds: ['t-urgent'], timeEstimate: 30 * 60_000, dueDay: day(0) });
  add('w3', 'p1-work', 'Plan the team offsite', { tagIds: ['t-deep'], dueDay: day(7) });
  add('w4', 'p1-work', 'Reply to Ana about the roadmap', { isDone: true, doneOn: now });
  add('w5', 'p1-work', 'Update the onboarding docs', { timeEstimate: 90 * 60_000 });
  add('h1', 'p2-home', 'Buy groceries', { tagIds: ['t-errand'], dueDay: day(0) });
  add('h2', 'p2-home', 'Fix the kitchen tap', { tagIds: ['t-urgent', 't-errand'], timeEstimate: 45 * 60_000 });
  add('h3', 'p2-home', 'Call the plumber', { parentId: 'h2' });
  add('l1', 'p3-trip', 'Book flights', { tagIds: ['t-urgent'] });
  add('l2', 'p3-trip', 'Find a place near Alfama');
  for (const t of tasks) if (t.parentId) { tasks.find((p) => p.id === t.parentId).subTaskIds.push(t.id); t.projectId = tasks.find((p) => p.id === t.parentId).projectId; }
  const project = projects.map((p) => ({ ...p, isArchived: false, backlogTaskIds: [], taskIds: tasks.filter((t) => t.projectId === p.id && !t.parentId).map((t) => t.id), ...meta }));
  const tag = tags.map((t) => ({ ...t, taskIds: tasks.filter((x) => x.tagIds.includes(t.id)).map((x) => x.id), ...meta }));
  const metric = [
    { id: day(-1), mood: 7, productivity: 8, notes: 'Shipped the import feature.' },
    { id: day(-2), mood: 5, productivity: 4, notes: 'Too many meetings.' },
    { id: day(-3), mood: 8, productivity: 6, notes: '' },
  ].map((m) => ({ ...m, ...meta }));
  return { format: 'super-sync-backup', formatVersion: 1, exportedAt: now, data: { task: tasks, project, tag, metric } };
}

async function waitForServer(url = base) {
  for (let i = 0; i < 150; i++) {
    try { await fetch(url); return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The server did not start on ${url}`);
}

/** Every context starts with sync off, or with `target` as the default sync target (as `npm start` configures). */
async function syncContext(options = {}, target = null) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...options });
  await context.route('**/sync-default.json', (route) =>
    target ? route.fulfill({ json: { provider: 'webdav', username: '', password: '', ...target } }) : route.fulfill({ status: 404, body: '' }));
  return context;
}

const indicator = (page) => page.getByTestId('sync-status');

/** The right end of the toolbar, where the sync indicator sits. */
async function shotIndicator(page, name) {
  await page.waitForTimeout(400);
  const box = await indicator(page).boundingBox();
  const x = Math.max(0, Math.floor(box.x - 24));
  await page.screenshot({ path: `${OUT}/${name}.png`, clip: { x, y: 0, width: page.viewportSize().width - x, height: 64 } });
  console.log(`${OUT}/${name}.png`);
}

async function syncNow(page) {
  const before = (await indicator(page).getAttribute('data-synced-at')) ?? '';
  await page.getByTestId('sync-status-button').click();
  await page.getByTestId('sync-now').click();
  await page.locator('.sync-menu').waitFor({ state: 'hidden' });
  await page.waitForFunction((b) => {
    const el = document.querySelector('[data-testid="sync-status"]');
    return el?.getAttribute('data-state') === 'synced' && (el.getAttribute('data-synced-at') ?? '') !== b;
  }, before);
}

async function renameTask(page, from, to) {
  await page.getByTestId('task-title').filter({ hasText: from }).click();
  await page.getByTestId('edit-title').fill(to);
  await page.getByTestId('editor-save').click();
  await page.getByTestId('editor-save').waitFor({ state: 'detached' });
}

async function setDeviceName(page, name) {
  await page.locator('[data-testid="sync-status"]:not([data-state="starting"])').waitFor();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('sync-device-name').fill(name);
  await page.getByTestId('sync-device-name').press('Enter');
}

if (!process.env.SKIP_BUILD) execSync('npx ng build --configuration production --progress=false', { stdio: 'inherit' });
mkdirSync(OUT, { recursive: true });
const server = spawn(process.execPath, ['tools/serve-dist.mjs', '--port', String(PORT)], { stdio: 'ignore' });
const syncServers = [
  spawn(process.execPath, ['--import', 'tsx', 'tools/servers/serve.ts', 'nephele', '--port', '8391'], { stdio: 'ignore' }),
  spawn(process.execPath, ['--import', 'tsx', 'tools/servers/serve.ts', 'webdav-server', '--port', '8392'], { stdio: 'ignore' }),
];
const file = join(mkdtempSync(join(tmpdir(), 'shots-')), 'demo-backup.json');
writeFileSync(file, JSON.stringify(demoBackup()));

const browser = await chromium.launch({
  executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  await waitForServer();
  await waitForServer(NEPHELE);
  await waitForServer(WEBDAV_SERVER);
  const context = await syncContext();
  const page = await context.newPage();
  const shot = async (name) => {
    await page.waitForTimeout(400); // let ripples and dialog animations settle
    await page.screenshot({ path: `${OUT}/${name}.png` });
    console.log(`${OUT}/${name}.png`);
  };

  await page.goto(base);
  await shot('01-welcome');
  await page.getByTestId('import-file-input').setInputFiles(file);
  await page.getByTestId('import-confirm').waitFor();
  await shot('08-import-dialog');
  await page.getByTestId('import-confirm').click();
  const snack = page.locator('mat-snack-bar-container');
  await snack.waitFor();
  await snack.waitFor({ state: 'detached' });
  await page.getByTestId('nav-project').filter({ hasText: 'Work' }).click();
  await page.getByTestId('task-row').first().waitFor();
  await shot('02-project');
  await page.getByTestId('task-title').filter({ hasText: 'quarterly report' }).click();
  await page.getByTestId('editor-save').waitFor();
  await shot('03-task-editor');
  await page.keyboard.press('Escape');
  await page.getByTestId('nav-tag').filter({ hasText: 'urgent' }).click();
  await page.getByTestId('task-row').first().waitFor();
  await shot('04-tag');
  await page.getByTestId('nav-metrics').click();
  await page.getByTestId('metric-save').waitFor();
  await shot('05-metrics');
  await page.getByTestId('nav-settings').click();
  await shot('06-settings');
  await shotIndicator(page, 'sync-indicator-off');
  await context.close();

  await syncScreens();

  const narrow = await syncContext({ viewport: { width: 400, height: 800 } });
  const phone = await narrow.newPage();
  await phone.goto(base);
  await phone.getByTestId('import-file-input').setInputFiles(file);
  await phone.getByTestId('import-confirm').click();
  await phone.locator('[data-testid="toolbar"][data-save-status="saved"]').waitFor();
  await phone.goto(`${base}/project/p1-work`);
  await phone.getByTestId('task-row').first().waitFor();
  await phone.waitForTimeout(400);
  await phone.screenshot({ path: `${OUT}/07-narrow.png` });
  console.log(`${OUT}/07-narrow.png`);
  await narrow.close();
} finally {
  await browser.close();
  server.kill();
  for (const child of syncServers) child.kill('SIGTERM');
}

/** The sync: indicator states, menu, settings, conflict review, from two devices on a local server. */
async function syncScreens() {
  const target = { url: NEPHELE, folder: 'screenshots' };
  const laptopContext = await syncContext({ viewport: { width: 1280, height: 1000 } }, target);
  const laptop = await laptopContext.newPage();
  await laptop.goto(base);
  await laptop.getByTestId('import-file-input').setInputFiles(file);
  await laptop.getByTestId('import-confirm').click();
  await setDeviceName(laptop, 'Laptop');
  await syncNow(laptop);
  await laptop.getByTestId('nav-project').filter({ hasText: 'Work' }).click();
  await shotIndicator(laptop, 'sync-indicator-synced');
  await laptop.getByTestId('sync-status-button').click();
  await laptop.locator('.sync-menu').waitFor();
  await laptop.waitForTimeout(400);
  await laptop.screenshot({ path: `${OUT}/12-sync-menu.png`, clip: { x: 640, y: 0, width: 640, height: 340 } });
  console.log(`${OUT}/12-sync-menu.png`);
  await laptop.keyboard.press('Escape');

  // A second device receives everything; then both change the same tasks while offline.
  const pcContext = await syncContext({ viewport: { width: 1280, height: 1000 } }, target);
  const pc = await pcContext.newPage();
  await pc.goto(base);
  // The first sync brings the projects, and the welcome page then moves on to the first one.
  await pc.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  await pc.getByTestId('page-title').waitFor();
  await setDeviceName(pc, 'Work PC');
  await syncNow(pc);
  await pc.getByTestId('nav-project').filter({ hasText: 'Work' }).click();
  await pc.getByTestId('task-row').first().waitFor();

  await laptopContext.setOffline(true);
  await pcContext.setOffline(true);
  await renameTask(laptop, 'Review pull request #42', 'Review PR #42 with Ana');
  await laptop.getByTestId('task-title').filter({ hasText: 'Update the onboarding docs' }).click();
  await laptop.getByTestId('editor-delete').click();
  await laptop.getByTestId('editor-save').waitFor({ state: 'detached' });
  await laptop.locator('[data-testid="toolbar"][data-save-status="saved"]').waitFor();
  await shotIndicator(laptop, 'sync-indicator-offline');
  await renameTask(pc, 'Review pull request #42', 'Review pull request #42 before Friday');
  await renameTask(pc, 'Update the onboarding docs', 'Update the onboarding docs (new tools)');
  await pc.locator('[data-testid="toolbar"][data-save-status="saved"]').waitFor();
  await laptopContext.setOffline(false);
  await pcContext.setOffline(false);
  for (const device of [laptop, pc, laptop]) await syncNow(device);
  await laptop.locator('[data-testid="sync-status"]:not([data-conflicts="0"])').waitFor();
  await shotIndicator(laptop, 'sync-indicator-conflicts');
  await laptop.getByTestId('sync-conflicts-badge').click();
  await laptop.getByTestId('conflict-item').first().waitFor();
  await laptop.waitForTimeout(500);
  await laptop.screenshot({ path: `${OUT}/11-sync-conflict-dialog.png` });
  console.log(`${OUT}/11-sync-conflict-dialog.png`);
  await laptop.getByTestId('conflicts-close').click();

  // Settings: the default target, a connection test, the devices and a preview of what the PC changed since.
  await renameTask(pc, 'Plan the team offsite', 'Plan the team offsite in March');
  await syncNow(pc);
  await laptop.getByTestId('nav-settings').click();
  await laptop.getByTestId('sync-test-connection').click();
  await laptop.getByTestId('connection-report').waitFor();
  await laptop.getByTestId('sync-preview-button').click();
  await laptop.locator('[data-testid="sync-preview-receive"], [data-testid="sync-preview-error"]').first().waitFor();
  await laptop.waitForTimeout(400);
  await laptop.locator('.main').evaluate((el) => el.scrollTo({ top: 0 }));
  await laptop.screenshot({ path: `${OUT}/09-sync-settings.png` });
  console.log(`${OUT}/09-sync-settings.png`);
  await laptop.getByTestId('sync-devices').scrollIntoViewIfNeeded();
  await laptop.waitForTimeout(300);
  await laptop.screenshot({ path: `${OUT}/10-sync-settings-devices.png` });
  console.log(`${OUT}/10-sync-settings-devices.png`);

  // A third, empty device joining: caught while it fetches the files (all but the first held back).
  const joinContext = await syncContext({}, target);
  const held = [];
  let passed = 0;
  await joinContext.route(`${NEPHELE}${target.folder}/deltas/**`, (route) => {
    if (route.request().method() !== 'GET' || passed++ === 0) return route.continue();
    return new Promise((release) => held.push(() => release(route.continue())));
  });
  const join = await joinContext.newPage();
  await join.goto(base);
  await join.waitForFunction(() => /Syncing \d+ of \d+/.test(document.querySelector('[data-testid="sync-status-label"]')?.textContent ?? ''));
  await shotIndicator(join, 'sync-indicator-syncing');
  for (const release of held.splice(0)) release();
  await joinContext.close();

  // A wrong password: the error in the toolbar, its menu and the settings page.
  const errorContext = await syncContext({ viewport: { width: 1280, height: 1000 } });
  const error = await errorContext.newPage();
  await error.goto(base);
  await error.getByTestId('nav-settings').click();
  await error.getByTestId('sync-provider-webdav').click();
  await error.getByTestId('webdav-url').fill(WEBDAV_SERVER);
  await error.getByTestId('webdav-username').fill('sync');
  await error.getByTestId('webdav-password').fill('a-wrong-password');
  await error.getByTestId('webdav-folder').fill('screenshots');
  await error.getByTestId('sync-test-connection').click();
  await error.getByTestId('connection-report').waitFor();
  await error.getByTestId('sync-save').click();
  await error.locator('[data-testid="sync-status"][data-state="error"]').waitFor();
  await error.getByTestId('sync-test-connection').click();
  await error.locator('[data-testid="connection-report"][data-ok="false"]').waitFor();
  await error.waitForTimeout(400);
  await error.screenshot({ path: `${OUT}/13-sync-settings-login-error.png` });
  console.log(`${OUT}/13-sync-settings-login-error.png`);
  await shotIndicator(error, 'sync-indicator-error');
  await error.getByTestId('sync-status-button').click();
  await error.locator('.sync-menu').waitFor();
  await error.waitForTimeout(400);
  await error.screenshot({ path: `${OUT}/14-sync-error-menu.png`, clip: { x: 640, y: 0, width: 640, height: 360 } });
  console.log(`${OUT}/14-sync-error-menu.png`);

  await errorContext.close();
  await pcContext.close();
  await laptopContext.close();
}
