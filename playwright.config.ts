import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env['E2E_PORT'] ?? 4300);

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

export default defineConfig({
  testDir: 'e2e',
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
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 800 },
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    // A production build served statically: what a person runs, and faster than a dev server.
    command: `npx ng build --configuration production --progress=false && node tools/serve-dist.mjs --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    timeout: 300_000,
    // Never reuse: a server left on this port could be serving an older build.
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
