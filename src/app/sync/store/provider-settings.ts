import type { CommitMode } from '../engine/remote/remote-store';

/** Where this device syncs to. Kept in this device's IndexedDB only: never synced, exported or logged. */
export type ProviderSettings = WebDavSettings | DropboxSettings;

export interface WebDavSettings {
  readonly provider: 'webdav';
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly folder: string;
  /** The probe's verdict, kept with the settings. */
  readonly mode?: CommitMode;
  /** Set when this target is the default that `npm start` configures. */
  readonly isDefaultTarget?: boolean;
  /** End-to-end encryption passphrase; empty or absent: files are not encrypted. */
  readonly passphrase?: string;
}

export interface DropboxSettings {
  readonly provider: 'dropbox';
  readonly appKey: string;
  readonly folder: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessTokenExpiresAt: number;
  readonly accountName?: string;
  readonly mode?: CommitMode;
  /** Only for the local Dropbox emulator in tests. */
  readonly apiBaseUrl?: string;
  readonly passphrase?: string;
}

export interface ConnectionReport {
  readonly ok: boolean;
  readonly mode?: CommitMode;
  /** In words, for the settings page. */
  readonly message: string;
  /** Whether the remote folder already holds synced data (connecting then merges, never overwrites). */
  readonly remoteHasData?: boolean;
  readonly errorCode?: string;
}

/** Settings as they may be shown or logged: no password, no token. */
export function redactSettings(settings: ProviderSettings | null): Record<string, unknown> | null {
  if (!settings) return null;
  const encrypted = Boolean(settings.passphrase);
  if (settings.provider === 'webdav') return { provider: 'webdav', url: settings.url, username: settings.username, folder: settings.folder, mode: settings.mode, encrypted };
  return { provider: 'dropbox', folder: settings.folder, accountName: settings.accountName, mode: settings.mode, encrypted };
}
