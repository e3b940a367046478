import { SyncError } from '../engine/sync-error';
import { DROPBOX_API_ORIGIN, DropboxApiError, dropboxAuthorizeUrl, dropboxToken, dropboxUrl } from './dropbox-api';
import { describeUnansweredRequest, isUnansweredRequest } from './network-failure';

/**
 * Not a key: the value older versions pre-filled. This build ships no app key; register your own
 * app at the Dropbox App Console (https://www.dropbox.com/developers/apps, "Scoped access",
 * "App folder", permissions files.content.read/write and files.metadata.read/write) and enter its
 * key in the sync settings. PKCE needs no app secret, so nothing secret ships in the app.
 */
export const DEFAULT_DROPBOX_APP_KEY = 'register-your-own-app-key';

/** Where a person reads how to register an app and get its key. */
export const DROPBOX_APP_KEY_HELP_URL = 'https://www.dropbox.com/developers/apps/create';

export interface DropboxAppSettings {
  /** The app key from the Dropbox App Console. */
  readonly appKey?: string;
  /** Only for the local emulator: where api/content/www.dropbox(api).com requests go instead. */
  readonly apiBaseUrl?: string;
}

/** What the app stores to stay connected. The provider hands back new values through a callback; it stores nothing itself. */
export interface DropboxCredentials {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires, in ms since the epoch. */
  readonly accessTokenExpiresAt: number;
}

/** Step 1 of connecting: the page to open, and the verifier to keep until the user pastes the code. */
export interface DropboxAuthorization {
  readonly url: string;
  readonly codeVerifier: string;
}

export const DROPBOX_CORS_REQUIREMENTS = {
  methods: ['POST', 'OPTIONS'],
  requestHeaders: ['Authorization', 'Content-Type', 'Dropbox-API-Arg'],
  exposedHeaders: ['Dropbox-API-Result'],
};

export function appKeyOf(settings: DropboxAppSettings): string {
  return settings.appKey?.trim() || DEFAULT_DROPBOX_APP_KEY;
}

/**
 * Builds the authorize URL for OAuth 2 PKCE with offline access (a refresh token) and no redirect
 * URI: Dropbox shows the code and the user pastes it into the app, so no redirect can get lost.
 * The verifier is returned so the app can keep it across a reload.
 */
export async function startDropboxAuthorization(settings: DropboxAppSettings): Promise<DropboxAuthorization> {
  const appKey = requireAppKey(settings);
  const codeVerifier = base64Url(crypto.getRandomValues(new Uint8Array(64)));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))));
  const url = dropboxAuthorizeUrl(
    { client_id: appKey, response_type: 'code', token_access_type: 'offline', code_challenge_method: 'S256', code_challenge: challenge },
    settings.apiBaseUrl,
  );
  return { url, codeVerifier };
}

/** Step 2: exchanges the code the user pasted for an access token and a refresh token. */
export async function finishDropboxAuthorization(
  settings: DropboxAppSettings,
  authorization: { readonly code: string; readonly codeVerifier: string },
): Promise<DropboxCredentials> {
  const appKey = requireAppKey(settings);
  try {
    const result = await dropboxToken(
      { grant_type: 'authorization_code', code: authorization.code.trim(), client_id: appKey, code_verifier: authorization.codeVerifier },
      settings.apiBaseUrl,
      AbortSignal.timeout(30_000),
    );
    if (!result.access_token || !result.refresh_token) {
      throw new SyncError('auth', 'Dropbox did not hand out a refresh token. Connect Dropbox again.');
    }
    return {
      accessToken: result.access_token,
      refreshToken: result.refresh_token,
      accessTokenExpiresAt: Date.now() + (result.expires_in ?? 14_400) * 1000,
    };
  } catch (error) {
    throw await tokenFailure(error, 'Exchanging the Dropbox code', settings);
  }
}

/** Gets a new access token with the refresh token; the refresh token itself stays the same. */
export async function refreshDropboxAccessToken(credentials: DropboxCredentials, settings: DropboxAppSettings, timeoutMs = 30_000): Promise<DropboxCredentials> {
  try {
    const result = await dropboxToken(
      { grant_type: 'refresh_token', refresh_token: credentials.refreshToken, client_id: appKeyOf(settings) },
      settings.apiBaseUrl,
      AbortSignal.timeout(timeoutMs),
    );
    if (!result.access_token) throw new SyncError('auth', 'Dropbox renewed the access without a token. Connect Dropbox again.');
    return {
      accessToken: result.access_token,
      refreshToken: result.refresh_token ?? credentials.refreshToken,
      accessTokenExpiresAt: Date.now() + (result.expires_in ?? 14_400) * 1000,
    };
  } catch (error) {
    throw await tokenFailure(error, 'Renewing the Dropbox access', settings);
  }
}

/** Whether a key was entered: the placeholder opens a consent page that can only fail. */
export function hasRegisteredAppKey(settings: DropboxAppSettings): boolean {
  const key = settings.appKey?.trim() ?? '';
  return key !== '' && key !== DEFAULT_DROPBOX_APP_KEY;
}

function requireAppKey(settings: DropboxAppSettings): string {
  if (!hasRegisteredAppKey(settings)) {
    throw new SyncError(
      'auth',
      'Enter your Dropbox app key first: register an app ("Scoped access", "App folder") in the Dropbox App Console and copy its key. The steps are in the sync settings.',
    );
  }
  return settings.appKey!.trim();
}

async function tokenFailure(error: unknown, what: string, settings: DropboxAppSettings): Promise<SyncError> {
  if (error instanceof SyncError) return error;
  if (error instanceof DropboxApiError) {
    const body = error.body as { error?: string; error_description?: string } | string;
    const reason = typeof body === 'string' ? body.slice(0, 200) : [body?.error, body?.error_description].filter(Boolean).join(': ');
    if (error.status === 400 || error.status === 401) {
      return new SyncError('auth', `${what} failed: Dropbox refused it (${reason || error.status}). Connect Dropbox again in the sync settings.`, {
        status: error.status,
        cause: error,
      });
    }
    return new SyncError('server', `${what} failed: Dropbox answered ${error.status}. Try again later.`, { status: error.status, cause: error });
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new SyncError('timeout', `${what} got no answer from Dropbox in time. Try again.`, { cause: error });
  }
  if (isUnansweredRequest(error)) {
    return describeUnansweredRequest(dropboxUrl(DROPBOX_API_ORIGIN, '/oauth2/token', settings.apiBaseUrl), what, error, DROPBOX_CORS_REQUIREMENTS);
  }
  return new SyncError('auth', `${what} failed (${error instanceof Error ? error.message : String(error)}). Connect Dropbox again.`, { cause: error });
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
