import type { CommitMode } from '../engine/remote/remote-store';

/** Where this device syncs to. Kept in this device's IndexedDB only: never synced, exported or logged. */
export type ProviderSettings = WebDavSettings | DropboxSettings;

/**
 * Encryption was turned on, off or changed on this remote and the files are not rewritten in the
 * new form yet: the next round rewrites them (kept until one succeeds, across reloads). Turning it
 * off, `readWith` is the old passphrase, still needed to read the encrypted files that one time.
 */
export interface PendingRewrite {
  readonly readWith?: string;
}

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
  readonly pendingRewrite?: PendingRewrite;
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
  readonly pendingRewrite?: PendingRewrite;
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

/**
 * What the app's state and the UI hold of the connection: where it syncs, never a password, a
 * token or a passphrase (those stay in SyncConnection and IndexedDB).
 */
export interface ConnectionView {
  readonly provider: 'webdav' | 'dropbox';
  /** WebDAV: the server's address; Dropbox: empty. */
  readonly url: string;
  readonly username: string;
  readonly folder: string;
  readonly mode?: CommitMode;
  readonly encrypted: boolean;
  readonly isDefaultTarget: boolean;
  readonly accountName?: string;
  readonly appKey?: string;
  readonly apiBaseUrl?: string;
}

export function connectionView(settings: ProviderSettings | null): ConnectionView | null {
  if (!settings) return null;
  const encrypted = Boolean(settings.passphrase);
  if (settings.provider === 'webdav') {
    return { provider: 'webdav', url: settings.url, username: settings.username, folder: settings.folder, mode: settings.mode, encrypted, isDefaultTarget: Boolean(settings.isDefaultTarget) };
  }
  return {
    provider: 'dropbox',
    url: '',
    username: '',
    folder: settings.folder,
    mode: settings.mode,
    encrypted,
    isDefaultTarget: false,
    appKey: settings.appKey,
    ...(settings.accountName ? { accountName: settings.accountName } : {}),
    ...(settings.apiBaseUrl ? { apiBaseUrl: settings.apiBaseUrl } : {}),
  };
}
