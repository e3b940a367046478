import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from '../engine/remote/remote-store';
import { describeRemoteFile } from '../engine/remote/remote-file-names';
import { SyncError } from '../engine/sync-error';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { DropboxApiError, dropboxDownload, DropboxListFolderResult, DropboxRequestContext, dropboxRpc, dropboxUpload } from './dropbox-api';
import { DropboxAppSettings, DropboxCredentials, refreshDropboxAccessToken } from './dropbox-auth';
import { dropboxFailure, dropboxRetryAfterMs, isDropboxNotFound, isExpiredAccessToken, isWriteContention } from './dropbox-errors';
import { withTimeout } from './request-timeout';

export interface DropboxSettings extends DropboxAppSettings {
  /** The sync folder inside the app folder; '' (the default) is the app folder itself. */
  readonly folder?: string;
}

export interface DropboxProviderOptions {
  /** Every request is aborted after this long. */
  readonly timeoutMs?: number;
  /** Requests in flight at once, across all operations of this provider. */
  readonly maxConcurrentRequests?: number;
  /** A 429 asking to wait at most this long is waited out and retried once; a longer one is reported. */
  readonly maxRetryAfterWaitMs?: number;
  /** Called with new credentials after a token refresh, so the app can store them. */
  readonly onCredentialsChange?: (credentials: DropboxCredentials) => void;
}

/** Refreshed this long before the access token expires, once for all parallel requests. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A RemoteStore in the user's Dropbox (app folder). Revisions are Dropbox `rev`s.
 *
 * - write with `ifMatch`: `mode: update` + `rev` + `strict_conflict` — a real compare-and-swap.
 * - write with `createOnly`: `mode: add`, `autorename: false`, `strict_conflict` (a conflict even
 *   when the bytes are identical).
 * - read with `ifNoneMatch`: Dropbox has no conditional download. We download and compare the rev
 *   from the `Dropbox-API-Result` header: always one request. Asking `get_metadata` first would also
 *   be one request when nothing changed, but two when it did, and `meta.json` is small by design.
 */
export class DropboxProvider implements RemoteStore {
  readonly label = 'Dropbox';
  private readonly folder: string;
  private readonly timeoutMs: number;
  private readonly limiter: ConcurrencyLimiter;
  /**
   * Writes go one at a time: Dropbox takes a lock on the account's namespace for each write, and
   * parallel writes in one namespace are the pattern its performance guide says draws 429
   * too_many_write_operations. Reads stay parallel.
   */
  private readonly writes = new ConcurrencyLimiter(1);
  private readonly maxRetryAfterWaitMs: number;
  private credentials: DropboxCredentials;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly settings: DropboxSettings,
    credentials: DropboxCredentials,
    private readonly options: DropboxProviderOptions = {},
  ) {
    this.folder = (settings.folder ?? '').replace(/^\/+|\/+$/g, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.limiter = new ConcurrencyLimiter(options.maxConcurrentRequests ?? 4);
    this.maxRetryAfterWaitMs = options.maxRetryAfterWaitMs ?? 10_000;
    this.credentials = credentials;
  }

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    let result: Awaited<ReturnType<typeof dropboxDownload>>;
    try {
      // "Nothing changed" is one request with no body: a conditional GET.
      result = await this.call(`Reading ${describeRemoteFile(path)}`, path, (context) => dropboxDownload({ path: this.dropboxPath(path) }, context, options.ifNoneMatch));
    } catch (error) {
      if (error instanceof SyncError && isDropboxNotFound(error.details.cause)) return { status: 'not-found' };
      throw error;
    }
    if (result === 'not-modified') return { status: 'not-modified' };
    if (options.ifNoneMatch !== undefined && options.ifNoneMatch === result.metadata.rev) return { status: 'not-modified' };
    return { status: 'ok', data: result.data, revision: result.metadata.rev };
  }

  async write(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<WriteResult> {
    const mode = options.ifMatch !== undefined ? { '.tag': 'update', update: options.ifMatch } : options.createOnly ? { '.tag': 'add' } : { '.tag': 'overwrite' };
    const result = await this.call(`Writing ${describeRemoteFile(path)}`, path, (context) =>
      dropboxUpload(
        {
          path: this.dropboxPath(path),
          mode,
          autorename: false,
          mute: true,
          strict_conflict: options.ifMatch !== undefined || options.createOnly === true,
        },
        data,
        context,
      ),
      'write',
    );
    return { revision: result.rev };
  }

  async delete(path: string): Promise<void> {
    try {
      await this.call(`Deleting ${describeRemoteFile(path)}`, path, (context) => dropboxRpc('files/delete_v2', { path: this.dropboxPath(path) }, context), 'write');
    } catch (error) {
      if (error instanceof SyncError && isDropboxNotFound(error.details.cause)) return;
      throw error;
    }
  }

  async list(folder: string): Promise<RemoteEntry[]> {
    const prefix = folder.replace(/^\/+|\/+$/g, '');
    const what = `Listing ${prefix || 'the sync folder'}`;
    const entries: RemoteEntry[] = [];
    try {
      let page = await this.call(what, prefix, (context) => dropboxRpc<DropboxListFolderResult>('files/list_folder', { path: this.dropboxPath(prefix) }, context));
      for (;;) {
        for (const entry of page.entries) {
          if (entry['.tag'] !== 'file') continue;
          entries.push({ path: prefix ? `${prefix}/${entry.name}` : entry.name, size: entry.size ?? 0, revision: entry.rev ?? '' });
        }
        if (!page.has_more) return entries;
        const cursor = page.cursor;
        page = await this.call(what, prefix, (context) => dropboxRpc<DropboxListFolderResult>('files/list_folder/continue', { cursor }, context));
      }
    } catch (error) {
      if (error instanceof SyncError && isDropboxNotFound(error.details.cause)) return [];
      throw error;
    }
  }

  /** The Dropbox path: `/folder/path`, and '' for the app folder itself (as list_folder wants it). */
  private dropboxPath(path: string): string {
    const joined = [this.folder, path].filter(Boolean).join('/');
    return joined ? `/${joined}` : '';
  }

  /**
   * One API call: limited in parallelism, timed out, with the access token refreshed ahead of
   * expiry or after a 401 `expired_access_token` (then retried once), a short 429 waited out and
   * retried once, and any failure turned into a SyncError.
   */
  private async call<T>(what: string, path: string, send: (context: DropboxRequestContext) => Promise<T>, kind: 'read' | 'write' = 'read'): Promise<T> {
    try {
      if (this.credentials.accessTokenExpiresAt - Date.now() < REFRESH_MARGIN_MS) await this.refresh();
      const attempt = () => this.attempt(what, send, { refreshed: false, waits: 0 });
      return await (kind === 'write' ? this.writes.run(attempt) : attempt());
    } catch (error) {
      throw await dropboxFailure(error, what, path, this.settings.apiBaseUrl);
    }
  }

  private async attempt<T>(what: string, send: (context: DropboxRequestContext) => Promise<T>, retried: { refreshed: boolean; waits: number }): Promise<T> {
    const tokenSent = this.credentials.accessToken;
    try {
      return await this.limiter.run(() =>
        withTimeout(this.timeoutMs, () => `${what} on Dropbox`, (signal) =>
          send({ accessToken: tokenSent, signal, ...(this.settings.apiBaseUrl ? { apiBaseUrl: this.settings.apiBaseUrl } : {}) }),
        ),
      );
    } catch (error) {
      if (!retried.refreshed && isExpiredAccessToken(error)) {
        // A parallel request may have refreshed already while this one was on its way.
        if (this.credentials.accessToken === tokenSent) await this.refresh();
        return this.attempt(what, send, { ...retried, refreshed: true });
      }
      // A short 429 is waited out: once for a rate limit, a few times for write contention (another
      // device writing to the same account at the same moment), with a little jitter so that two
      // devices that collided do not collide again.
      if (error instanceof DropboxApiError && error.status === 429 && retried.waits < (isWriteContention(error) ? 4 : 1)) {
        const waitMs = dropboxRetryAfterMs(error);
        if (waitMs <= this.maxRetryAfterWaitMs) {
          await new Promise((resolve) => setTimeout(resolve, waitMs + Math.floor(Math.random() * 250)));
          return this.attempt(what, send, { ...retried, waits: retried.waits + 1 });
        }
      }
      throw error;
    }
  }

  /** One refresh at a time, shared by every request that needs it; the app is told the new credentials. */
  private refresh(): Promise<void> {
    this.refreshing ??= refreshDropboxAccessToken(this.credentials, this.settings, this.timeoutMs)
      .then((credentials) => {
        this.credentials = credentials;
        this.options.onCredentialsChange?.(credentials);
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}
