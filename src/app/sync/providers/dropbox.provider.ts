import { Dropbox, DropboxAuth, DropboxResponseError, files } from 'dropbox';
import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from '../engine/remote-store';
import { SyncError } from '../engine/sync-error';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { appKeyOf, DropboxAppSettings, DropboxCredentials, refreshDropboxAccessToken } from './dropbox-auth';
import { dropboxFailure, dropboxRetryAfterMs, isDropboxNotFound, isExpiredAccessToken } from './dropbox-errors';
import { createDropboxFetch } from './dropbox-fetch';
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

/** The SDK refreshes on its own when the token expires within 5 minutes; we do it first, once for all parallel requests. */
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
  private readonly auth: DropboxAuth;
  private readonly folder: string;
  private readonly timeoutMs: number;
  private readonly limiter: ConcurrencyLimiter;
  private readonly maxRetryAfterWaitMs: number;
  private refreshing: Promise<void> | null = null;
  private lastAnnouncedToken: string;

  constructor(
    private readonly settings: DropboxSettings,
    credentials: DropboxCredentials,
    private readonly options: DropboxProviderOptions = {},
  ) {
    this.folder = (settings.folder ?? '').replace(/^\/+|\/+$/g, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.limiter = new ConcurrencyLimiter(options.maxConcurrentRequests ?? 4);
    this.maxRetryAfterWaitMs = options.maxRetryAfterWaitMs ?? 10_000;
    this.auth = new DropboxAuth({
      clientId: appKeyOf(settings),
      accessToken: credentials.accessToken,
      refreshToken: credentials.refreshToken,
      accessTokenExpiresAt: new Date(credentials.accessTokenExpiresAt),
      fetch: createDropboxFetch(settings.apiBaseUrl, undefined, this.timeoutMs),
    });
    this.lastAnnouncedToken = credentials.accessToken;
  }

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    let result: files.FileMetadata & { fileBinary?: Uint8Array; fileBlob?: Blob };
    try {
      result = (await this.call(`Reading ${path}`, path, (dbx) => dbx.filesDownload({ path: this.dropboxPath(path) }))) as typeof result;
    } catch (error) {
      if (error instanceof SyncError && isDropboxNotFound(error.details.cause)) return { status: 'not-found' };
      throw error;
    }
    if (options.ifNoneMatch !== undefined && options.ifNoneMatch === result.rev) return { status: 'not-modified' };
    const data = result.fileBlob ? new Uint8Array(await result.fileBlob.arrayBuffer()) : new Uint8Array(result.fileBinary ?? []);
    return { status: 'ok', data, revision: result.rev };
  }

  async write(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<WriteResult> {
    const mode: files.WriteMode =
      options.ifMatch !== undefined ? { '.tag': 'update', update: options.ifMatch } : options.createOnly ? { '.tag': 'add' } : { '.tag': 'overwrite' };
    const result = await this.call(`Writing ${path}`, path, (dbx) =>
      dbx.filesUpload({
        path: this.dropboxPath(path),
        contents: data,
        mode,
        autorename: false,
        mute: true,
        strict_conflict: options.ifMatch !== undefined || options.createOnly === true,
      }),
    );
    return { revision: result.rev };
  }

  async delete(path: string): Promise<void> {
    try {
      await this.call(`Deleting ${path}`, path, (dbx) => dbx.filesDeleteV2({ path: this.dropboxPath(path) }));
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
      let page = await this.call(what, prefix, (dbx) => dbx.filesListFolder({ path: this.dropboxPath(prefix) }));
      for (;;) {
        for (const entry of page.entries) {
          if (entry['.tag'] !== 'file') continue;
          entries.push({ path: prefix ? `${prefix}/${entry.name}` : entry.name, size: entry.size, revision: entry.rev });
        }
        if (!page.has_more) return entries;
        const cursor = page.cursor;
        page = await this.call(what, prefix, (dbx) => dbx.filesListFolderContinue({ cursor }));
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
  private async call<T>(what: string, path: string, send: (dbx: Dropbox) => Promise<{ result: T }>): Promise<T> {
    try {
      if (this.auth.getAccessTokenExpiresAt().getTime() - Date.now() < REFRESH_MARGIN_MS) await this.refresh();
      return await this.attempt(what, send, { refreshed: false, waited: false });
    } catch (error) {
      throw await dropboxFailure(error, what, path, this.settings.apiBaseUrl);
    } finally {
      this.announceNewCredentials();
    }
  }

  private async attempt<T>(what: string, send: (dbx: Dropbox) => Promise<{ result: T }>, retried: { refreshed: boolean; waited: boolean }): Promise<T> {
    let tokenSent = '';
    try {
      return await this.limiter.run(() =>
        withTimeout(this.timeoutMs, () => `${what} on Dropbox`, async (signal) => {
          // A client per request, so the request's abort signal reaches its fetch.
          const dbx = new Dropbox({ auth: this.auth, fetch: createDropboxFetch(this.settings.apiBaseUrl, signal) });
          tokenSent = this.auth.getAccessToken();
          return (await send(dbx)).result;
        }),
      );
    } catch (error) {
      if (!retried.refreshed && isExpiredAccessToken(error)) {
        // A parallel request may have refreshed already while this one was on its way.
        if (this.auth.getAccessToken() === tokenSent) await this.refresh();
        return this.attempt(what, send, { ...retried, refreshed: true });
      }
      if (!retried.waited && error instanceof DropboxResponseError && error.status === 429) {
        const waitMs = dropboxRetryAfterMs(error);
        if (waitMs <= this.maxRetryAfterWaitMs) {
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          return this.attempt(what, send, { ...retried, waited: true });
        }
      }
      throw error;
    }
  }

  /** One refresh at a time, shared by every request that needs it. */
  private refresh(): Promise<void> {
    this.refreshing ??= refreshDropboxAccessToken(this.auth, this.settings).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private announceNewCredentials(): void {
    const accessToken = this.auth.getAccessToken();
    if (accessToken === this.lastAnnouncedToken) return;
    this.lastAnnouncedToken = accessToken;
    this.options.onCredentialsChange?.({
      accessToken,
      refreshToken: this.auth.getRefreshToken(),
      accessTokenExpiresAt: this.auth.getAccessTokenExpiresAt().getTime(),
    });
  }
}
