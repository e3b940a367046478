import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTask, converge, createProject, openProject, quick, row, status } from '../sync-helpers';

// What a new user does first: `npm start`, then open the page it prints. The script, the dev
// server and the local WebDAV server are the ones the README names; only the server's folder is a
// temporary one, so the test never touches the files of a developer's own `npm start`.
const APP_URL = 'http://127.0.0.1:4200/';
/** With node_modules in place the page answers in about 10 s; a fresh clone adds npm ci. */
const START_LIMIT_MS = 150_000;
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-webdav-'));
test.describe.configure({ mode: 'serial', timeout: 240_000 });

let app: ChildProcess | null = null;

/** `npm start` in a process group of its own, resolved when the page answers; returns the seconds it took. */
async function npmStart(): Promise<number> {
  const started = Date.now();
  app = spawn('npm', ['start'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SYNC_DATA_DIR: dataDir } });
  let output = '';
  app.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => app!.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`))));
  const answering = (async () => {
    while (Date.now() - started < START_LIMIT_MS) {
      try {
        if ((await fetch(APP_URL)).ok && (await fetch('http://127.0.0.1:8081/', { method: 'OPTIONS' })).status < 500) return;
      } catch {
        /* not up yet */
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`npm start did not answer on ${APP_URL} within ${START_LIMIT_MS / 1000} s. Its output:\n${output}`);
  })();
  await Promise.race([answering, exited]);
  return (Date.now() - started) / 1000;
}

async function npmStop(): Promise<void> {
  const running = app;
  app = null;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  process.kill(-running.pid!, 'SIGTERM');
  await exited;
  // The script waits for its children; the ports are free once it has exited.
}

/**
 * Console errors, except the 404s of a sync folder's first contact: the folder does not exist yet,
 * nor its `meta.json` (nor the whole-file `main.json` an older app would have left), and the
 * browser logs any 404 of a fetch as an error although the app expects and handles it.
 */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    if (/status of 404/.test(message.text()) && /^http:\/\/127\.0\.0\.1:8081\/tandem-tasks\/((meta|main)\.json)?$/.test(where)) return;
    // The probe of a newly connected remote makes writes that must be refused: that is what it checks.
    if (/status of 412/.test(message.text()) && /^http:\/\/127\.0\.0\.1:8081\/tandem-tasks\/probe-[a-z0-9]+\.tmp$/.test(where)) return;
    errors.push(`${message.text()} (${where})`);
  });
  return errors;
}

test.afterAll(async () => {
  await npmStop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('npm start serves the working app, and two devices sync one edit through its WebDAV server', async ({ browser }) => {
  const seconds = await npmStart();
  console.log(`npm start answered on ${APP_URL} after ${seconds.toFixed(1)} s`);

  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const a = await laptop.newPage();
  const b = await phone.newPage();
  const errorsA = consoleErrors(a);
  const errorsB = consoleErrors(b);
  await a.goto(APP_URL);
  await b.goto(APP_URL);
  for (const page of [a, b]) {
    await expect(page.getByTestId('toolbar')).toBeVisible();
    await expect(page.getByTestId('welcome-add-project')).toBeVisible();
    // The default sync target is the server npm start runs: no setup before the first sync.
    await expect(status(page)).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  }

  await createProject(a, 'Errands', ['Buy milk']);
  await converge([a, b].map((page, i) => ({ name: `device ${i}`, context: page.context(), page })), async () => {
    await expect(b.getByTestId('nav-project')).toHaveText([/^Errands/], quick);
  });
  await openProject(b, 'Errands');
  await expect(row(b, 'Buy milk')).toHaveCount(1);
  await addTask(b, 'Post the letter');
  await openProject(a, 'Errands');
  await converge([b, a].map((page, i) => ({ name: `device ${i}`, context: page.context(), page })), async () => {
    await expect(row(a, 'Post the letter')).toHaveCount(1, quick);
  });

  expect(errorsA).toEqual([]);
  expect(errorsB).toEqual([]);
  await laptop.close();
  await phone.close();
});

test('the WebDAV server of npm start keeps its files across a restart, and a new device gets the data from them', async ({ browser }) => {
  await npmStop();
  expect(existsSync(join(dataDir, 'tandem-tasks', 'meta.json'))).toBe(true);
  const deltasBefore = readdirSync(join(dataDir, 'tandem-tasks', 'deltas')).length;
  await npmStart();

  const tablet = await browser.newContext();
  const page = await tablet.newPage();
  const errors = consoleErrors(page);
  await page.goto(APP_URL);
  await converge([{ name: 'tablet', context: tablet, page }], async () => {
    await expect(page.getByTestId('nav-project')).toHaveText([/^Errands/], quick);
  });
  await openProject(page, 'Errands');
  await expect(page.getByTestId('task-row')).toHaveCount(2);
  // Joining uploads nothing: the folder already held everything.
  expect(readdirSync(join(dataDir, 'tandem-tasks', 'deltas')).length).toBe(deltasBefore);
  expect(errors).toEqual([]);
  await tablet.close();
});
