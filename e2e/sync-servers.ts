/**
 * The local sync servers the two-device specs run against: started by playwright.config.ts
 * (webServer), on ports of their own so they never meet the servers `npm start` runs.
 */
export const NEPHELE_PORT = Number(process.env['E2E_NEPHELE_PORT'] ?? 8191);
export const WEBDAV_SERVER_PORT = Number(process.env['E2E_WEBDAV_SERVER_PORT'] ?? 8192);

/** nephele: no login, honours If-Match (compare-and-swap). */
export const NEPHELE_URL = `http://127.0.0.1:${NEPHELE_PORT}/`;
/** webdav-server v2: basic auth, no ETags, ignores If-Match (lock mode). */
export const WEBDAV_SERVER_URL = `http://127.0.0.1:${WEBDAV_SERVER_PORT}/`;
export const WEBDAV_SERVER_USER = 'sync';
export const WEBDAV_SERVER_PASSWORD = 'sync-password';

export const DROPBOX_PORT = Number(process.env['E2E_DROPBOX_PORT'] ?? 8193);
/** The Dropbox emulator (tools/servers/dropbox-emulator.ts): the app's "API server" for the local emulator. */
export const DROPBOX_URL = `http://127.0.0.1:${DROPBOX_PORT}/`;
export const DROPBOX_APP_KEY = 'emulator-app-key';
