import { describeRemoteFile } from '../engine/remote/remote-file-names';
import { SyncError } from '../engine/sync-error';
import { DROPBOX_API_ORIGIN, DropboxApiError, dropboxUrl } from './dropbox-api';
import { DROPBOX_CORS_REQUIREMENTS } from './dropbox-auth';
import { retryAfterMs } from './http-status';
import { describeUnansweredRequest, isUnansweredRequest } from './network-failure';

/** Dropbox's error body: `{ error_summary: "path/conflict/file/..", error: { ".tag": "path", ... }, retry_after? }`. */
interface DropboxErrorBody {
  readonly error_summary?: string;
  readonly error?: { readonly '.tag'?: string; readonly retry_after?: number; readonly reason?: { readonly '.tag'?: string } };
}

export function dropboxErrorSummary(error: unknown): string {
  return error instanceof DropboxApiError ? error.summary : '';
}

export function isDropboxNotFound(error: unknown): boolean {
  return error instanceof DropboxApiError && error.status === 409 && /(^|\/)not_found\//.test(dropboxErrorSummary(error) + '/');
}

export function isExpiredAccessToken(error: unknown): boolean {
  return error instanceof DropboxApiError && error.status === 401 && dropboxErrorSummary(error).startsWith('expired_access_token');
}

/** 429 too_many_write_operations: another write held the account's lock (JSON or plain-text body). */
export function isWriteContention(error: DropboxApiError): boolean {
  return error.status === 429 && dropboxErrorSummary(error).startsWith('too_many_write_operations');
}

/** How long a 429 asks us to wait, from the body's `retry_after` (seconds) or the Retry-After header. */
export function dropboxRetryAfterMs(error: DropboxApiError): number {
  const body = error.body as DropboxErrorBody | string;
  const seconds = typeof body === 'object' ? body?.error?.retry_after : undefined;
  if (typeof seconds === 'number' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  // Write contention clears in about a second; a browser may not even see Retry-After (CORS).
  return retryAfterMs(error.headers.get('Retry-After'), isWriteContention(error) ? 1_000 : 60_000);
}

/** Turns whatever a Dropbox call failed with into a SyncError a person can act on. */
export async function dropboxFailure(error: unknown, what: string, path: string | undefined, apiBaseUrl: string | undefined): Promise<SyncError> {
  if (error instanceof SyncError) return error;
  if (!(error instanceof DropboxApiError)) {
    if (isUnansweredRequest(error)) {
      return describeUnansweredRequest(dropboxUrl(DROPBOX_API_ORIGIN, '/2/', apiBaseUrl), what, error, DROPBOX_CORS_REQUIREMENTS);
    }
    return new SyncError('server', `${what} failed: Dropbox gave an unexpected answer (${error instanceof Error ? error.message : String(error)}).`, {
      path,
      cause: error,
    });
  }
  const summary = dropboxErrorSummary(error);
  const details = { status: error.status, path, cause: error };
  if (error.status === 401) {
    return new SyncError('auth', `Dropbox no longer accepts this app's access (${summary || 401}). Connect Dropbox again in the sync settings.`, details);
  }
  if (error.status === 403) {
    return new SyncError('auth', `Dropbox refused ${lower(what)} (403 ${summary}). Check the app's permissions and connect Dropbox again.`, details);
  }
  if (error.status === 429) {
    const waitMs = dropboxRetryAfterMs(error);
    const why = isWriteContention(error) ? 'Dropbox is busy with other writes to this account (429 too_many_write_operations)' : 'Dropbox asks for fewer requests (429)';
    return new SyncError('rate-limited', `${why}. The sync tries again in ${Math.ceil(waitMs / 1000)} s.`, {
      ...details,
      retryAfterMs: waitMs,
    });
  }
  if (error.status === 409) {
    if (summary.includes('/conflict')) {
      return new SyncError('precondition-failed', `${path ? capitalized(describeRemoteFile(path)) : 'The file'} changed on Dropbox since it was read (conflict).`, details);
    }
    if (summary.includes('insufficient_space')) {
      return new SyncError('storage-full', 'Your Dropbox is full. Free some space or upgrade the plan, then sync again.', details);
    }
    if (summary.includes('no_write_permission')) {
      return new SyncError('auth', `Dropbox does not let this app write ${path ? describeRemoteFile(path) : 'there'}. Connect Dropbox again.`, details);
    }
  }
  if (error.status >= 500) {
    return new SyncError('server', `Dropbox failed while ${lower(what)} (${error.status}). The sync tries again later.`, details);
  }
  return new SyncError('server', `Dropbox refused ${lower(what)} (${error.status} ${summary}).`, details);
}

function lower(what: string): string {
  return what.charAt(0).toLowerCase() + what.slice(1);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
