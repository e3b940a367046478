import type { ViewChanges } from './replica/persisted';

/**
 * Errors are values a person can act on. Every failure that leaves the engine or a provider is a
 * SyncError with a code the UI can switch on and a message written for the user.
 */
export type SyncErrorCode =
  /** `If-Match` / create-only not met: another device committed first. The engine retries. */
  | 'precondition-failed'
  /** The server refused the credentials (401/403) or the token could not be refreshed. */
  | 'auth'
  /** The sync folder is missing and could not be created. */
  | 'folder-missing'
  /** The server's storage is full (507, Dropbox insufficient_space). */
  | 'storage-full'
  /** The server answered 5xx or something it should not have. */
  | 'server'
  /** No answer: offline, DNS, connection refused or reset. */
  | 'offline'
  /** No answer within the time limit. */
  | 'timeout'
  /** The browser blocked the request: the server does not allow this origin (CORS). */
  | 'cors'
  /** Too many requests; `retryAfterMs` says when to try again. */
  | 'rate-limited'
  /** The remote was written by a newer version of the app; it is left untouched. */
  | 'format-too-new'
  /** A remote file is not what it claims to be (garbled, truncated, wrong shape). Nothing was applied. */
  | 'invalid-remote-data'
  /** Another device holds the remote lock (lock mode); try again shortly. */
  | 'remote-busy'
  /** The remote is encrypted and the passphrase is wrong or missing. */
  | 'encryption'
  /** The commit kept losing the race to other devices; the next round retries. */
  | 'too-much-contention';

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly details: { readonly status?: number; readonly retryAfterMs?: number; readonly path?: string; readonly cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'SyncError';
  }

  /**
   * What the failed round had already adopted (merged, persisted, in the engine's view) before it
   * failed: the app applies it as it applies a result's changes, or its view would lag the engine's.
   */
  adopted: ViewChanges | null = null;

  /** Errors worth retrying automatically with back-off (the network or server may recover by itself). */
  get isTransient(): boolean {
    return ['offline', 'timeout', 'server', 'rate-limited', 'remote-busy', 'too-much-contention', 'precondition-failed'].includes(this.code);
  }
}

export function isSyncError(error: unknown, code?: SyncErrorCode): error is SyncError {
  return error instanceof SyncError && (code === undefined || error.code === code);
}
