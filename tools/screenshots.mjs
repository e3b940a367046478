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

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(base)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The static server did not start on ${base}`);
}

if (!process.env.SKIP_BUILD) execSync('npx ng build --configuration production --progress=false', { stdio: 'inherit' });
mkdirSync(OUT, { recursive: true });
const server = spawn(process.execPath, ['tools/serve-dist.mjs', '--port', String(PORT)], { stdio: 'ignore' });
const file = join(mkdtempSync(join(tmpdir(), 'shots-')), 'demo-backup.json');
writeFileSync(file, JSON.stringify(demoBackup()));

const browser = await chromium.launch({
  executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  await waitForServer();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
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
  await context.close();

  const narrow = await browser.newContext({ viewport: { width: 400, height: 800 } });
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
}
