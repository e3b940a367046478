import { defineConfig, devices } from '@playwright/test';
import { DROPBOX_PORT, DROPBOX_URL, NEPHELE_PORT, NEPHELE_URL, WEBDAV_SERVER_PORT, WEBDAV_SERVER_URL } from './e2e/sync-servers';

const PORT = Number(process.env['E2E_PORT'] ?? 4300);
/** A build of its own, without public/sync-default.json: no test device syncs to the server `npm start` runs on :8081. */
const E2E_DIST = 'dist/e2e-app';
const build = `npx ng build --configuration production --progress=false --output-path ${E2E_DIST} && node -e "require('fs').rmSync('${E2E_DIST}/browser/sync-default.json', { force: true })"`;
const serve = `node tools/serve-dist.mjs --port ${PORT} --dir ${E2E_DIST}/browser`;
/** Local sync servers, each on a temporary folder or in memory, gone when the run ends. */
const syncServer = (name: string, port: number, url: string) => ({
  command: `node --import tsx tools/servers/serve.ts ${name} --port ${port}`,
  url,
  timeout: 60_000,
  reuseExistingServer: false,
  gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
});

/** Debian's Chromium, headless, with nothing that reaches out to the network. */
export const chromiumLaunchOptions = {
  executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/** The browser every Playwright config of this project uses. */
export const chromiumDevice = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1280, height: 800 },
  launchOptions: chromiumLaunchOptions,
};

export default defineConfig({
  testDir: 'e2e',
  // e2e/start runs `npm start` itself: playwright.start.config.ts.
  testIgnore: 'start/**',
  // Inside dist/ (git-ignored) so failures leave no untracked files behind.
  outputDir: 'dist/e2e-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    ...chromiumDevice,
  },
  webServer: [
    {
      // A production build served statically: what a person runs, and faster than a dev server.
      // E2E_SKIP_BUILD=1 serves the last e2e build again (while iterating on specs only).
      command: process.env['E2E_SKIP_BUILD'] ? serve : `${build} && ${serve}`,
      url: `http://127.0.0.1:${PORT}/`,
      timeout: 300_000,
      // Never reuse: a server left on this port could be serving an older build.
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    syncServer('nephele', NEPHELE_PORT, NEPHELE_URL),
    // webdav-server answers 401 without a login, which Playwright counts as up.
    syncServer('webdav-server', WEBDAV_SERVER_PORT, WEBDAV_SERVER_URL),
    // The emulator answers 400 to an authorize request without a client id: up.
    syncServer('dropbox', DROPBOX_PORT, `${DROPBOX_URL}oauth2/authorize`),
  ],
});
