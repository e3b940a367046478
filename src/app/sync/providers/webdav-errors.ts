import { describeRemoteFile } from '../engine/remote/remote-file-names';
import { SyncError } from '../engine/sync-error';
import { retryAfterMs } from './http-status';
import { describeUnansweredRequest, isUnansweredRequest, WEBDAV_CORS_REQUIREMENTS } from './network-failure';

/** What the `webdav` client throws for an HTTP error status. */
interface WebDavHttpError {
  readonly status: number;
  readonly response?: { readonly statusText?: string; readonly headers?: { get(name: string): string | null } };
}

export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as Partial<WebDavHttpError> | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

export interface WebDavRequestContext {
  /** The server's URL without credentials, for messages. */
  readonly serverUrl: string;
  /** What was being done, for messages: "Reading meta.json". */
  readonly what: string;
  readonly path?: string;
  /** The full URL requested, for telling a CORS block from being offline. */
  readonly requestUrl: string;
}

/** Turns whatever a WebDAV request failed with into a SyncError a person can act on. Never includes credentials. */
export async function webDavFailure(error: unknown, context: WebDavRequestContext): Promise<SyncError> {
  if (error instanceof SyncError) return error;
  const status = httpStatusOf(error);
  const { serverUrl, what, path } = context;
  if (status === undefined) {
    if (isUnansweredRequest(error)) return describeUnansweredRequest(context.requestUrl, what, error, WEBDAV_CORS_REQUIREMENTS);
    return new SyncError('server', `${what} failed: the server at ${serverUrl} gave an answer that is not valid WebDAV (${messageOf(error)}).`, {
      path,
      cause: error,
    });
  }
  const details = { status, path, cause: error };
  const headers = (error as WebDavHttpError).response?.headers;
  switch (status) {
    case 401:
      return new SyncError('auth', `The server at ${serverUrl} refused the login (401). Check the user name and password.`, details);
    case 403:
      return new SyncError(
        'auth',
        `The server at ${serverUrl} refused access (403) while ${lower(what)}. Check the user name and password, and that this user may write to the folder.`,
        details,
      );
    case 412:
      return new SyncError('precondition-failed', `${path ? capitalized(describeRemoteFile(path)) : 'The file'} changed on the server since it was read (412).`, details);
    case 423:
      return new SyncError('remote-busy', `${path ? capitalized(describeRemoteFile(path)) : 'The file'} is locked on the server at ${serverUrl} by another client (423). Try again shortly.`, details);
    case 429: {
      const waitMs = retryAfterMs(headers?.get('Retry-After'));
      return new SyncError(
        'rate-limited',
        `The server at ${serverUrl} asks for fewer requests (429). The sync tries again in ${Math.ceil(waitMs / 1000)} s.`,
        { ...details, retryAfterMs: waitMs },
      );
    }
    case 507:
      return new SyncError('storage-full', `The server at ${serverUrl} is out of storage space (507). Free some space or raise the quota.`, details);
  }
  if (status >= 500) {
    return new SyncError('server', `The server at ${serverUrl} failed while ${lower(what)} (${status}). It may be overloaded or misconfigured; the sync tries again later.`, details);
  }
  return new SyncError('server', `The server at ${serverUrl} answered ${status} while ${lower(what)}, which a WebDAV server should not. Check the URL.`, details);
}

function lower(what: string): string {
  return what.charAt(0).toLowerCase() + what.slice(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
