import { Injectable } from '@angular/core';
import { DROPBOX_APP_KEY_HELP_URL, finishDropboxAuthorization, hasRegisteredAppKey, startDropboxAuthorization } from '../providers/dropbox-auth';
import type { DropboxSettings } from '../store/provider-settings';

export interface DropboxTarget {
  readonly appKey: string;
  readonly folder: string;
  /** Only for the local Dropbox emulator. */
  readonly apiBaseUrl?: string;
}

/** Where the verifier waits between "Connect Dropbox" and the pasted code, so a reload does not lose it. */
const VERIFIER_KEY = 'super-sync:dropbox-code-verifier';

/**
 * The PKCE code-paste flow: the only provider code the UI calls. Syncing itself goes through the
 * store; this only turns a pasted code into the settings that `Save Provider` stores.
 */
@Injectable({ providedIn: 'root' })
export class DropboxConnect {
  /** Where a person registers the Dropbox app whose key connecting needs. */
  readonly appKeyHelpUrl = DROPBOX_APP_KEY_HELP_URL;

  /** Whether `appKey` can start the flow: a key was entered, and it is not the old placeholder. */
  isUsableAppKey(appKey: string): boolean {
    return hasRegisteredAppKey({ appKey });
  }

  /** Step 1: the authorize page to open in a new tab. */
  async start(target: DropboxTarget): Promise<string> {
    const { url, codeVerifier } = await startDropboxAuthorization(appSettings(target));
    sessionStorage.setItem(VERIFIER_KEY, codeVerifier);
    return url;
  }

  get hasPendingAuthorization(): boolean {
    return !!sessionStorage.getItem(VERIFIER_KEY);
  }

  /** Step 2: the pasted code becomes settings with tokens (and the account's name, when Dropbox tells it). */
  async finish(target: DropboxTarget, code: string): Promise<DropboxSettings> {
    const codeVerifier = sessionStorage.getItem(VERIFIER_KEY);
    if (!codeVerifier) throw new Error('Click "Connect Dropbox" first: the code belongs to that authorization.');
    const credentials = await finishDropboxAuthorization(appSettings(target), { code, codeVerifier });
    sessionStorage.removeItem(VERIFIER_KEY);
    const accountName = await accountNameOf(credentials.accessToken, target.apiBaseUrl);
    return {
      provider: 'dropbox',
      appKey: target.appKey,
      folder: target.folder,
      ...credentials,
      ...(accountName ? { accountName } : {}),
      ...(target.apiBaseUrl ? { apiBaseUrl: target.apiBaseUrl } : {}),
    };
  }
}

function appSettings(target: DropboxTarget) {
  return { appKey: target.appKey, ...(target.apiBaseUrl ? { apiBaseUrl: target.apiBaseUrl } : {}) };
}

/** Best effort: the name shown in the settings. A failure leaves it out; the connection works without it. */
async function accountNameOf(accessToken: string, apiBaseUrl: string | undefined): Promise<string | null> {
  try {
    const base = (apiBaseUrl || 'https://api.dropboxapi.com').replace(/\/+$/, '');
    const response = await fetch(`${base}/2/users/get_current_account`, { method: 'POST', headers: { Authorization: `Bearer ${accessToken}` } });
    if (!response.ok) return null;
    const account = (await response.json()) as { name?: { display_name?: string }; email?: string };
    return account.name?.display_name || account.email || null;
  } catch {
    return null;
  }
}
