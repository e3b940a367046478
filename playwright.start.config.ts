import { defineConfig } from '@playwright/test';
import { chromiumDevice } from './playwright.config';

/**
 * `npm start` as a new user runs it: the spec starts the script itself (dev server and local
 * WebDAV server on :4200 and :8081), so this config starts no web server of its own.
 */
export default defineConfig({
  testDir: 'e2e/start',
  outputDir: 'dist/e2e-start-results',
  timeout: 240_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: { ...chromiumDevice, trace: 'retain-on-failure' },
});
