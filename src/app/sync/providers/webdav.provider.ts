import { createClient, FileStat, ResponseDataDetailed, WebDAVClient } from 'webdav';
import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from '../engine/remote/remote-store';
import { describeRemoteFile } from '../engine/remote/remote-file-names';
import { SyncError } from '../engine/sync-error';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { contentHashRevision, isContentHashRevision } from './content-hash';
import { normaliseEtag } from './etag';
import { isConnectionReset, safeUrl } from './network-failure';
import { bypassBrowserCacheForWebDav } from './webdav-browser-cache';
import { withTimeout } from './request-timeout';
import { webDavFailure } from './webdav-errors';

export interface WebDavSettings {
  /** The WebDAV share, e.g. `https://cloud.example/remote.php/dav/files/alice/`. It must exist. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** The sync folder inside the share, created when missing. '' uses the share itself. */
  readonly folder?: string;
}

export interface WebDavProviderOptions {
  /** Every request is aborted after this long. */
  readonly timeoutMs?: number;
  /** Requests in flight at once, across all operations of this provider. */
  readonly maxConcurrentRequests?: number;
}

export const DEFAULT_WEBDAV_FOLDER = 'tandem-tasks';
/** The folders the engine writes into (SYNC.md §2), created once up front. */
const SYNC_SUBFOLDERS = ['deltas', 'snapshots'];

/**
 * A RemoteStore on a WebDAV server (Nextcloud, ownCloud, Apache mod_dav, nephele, rclone, ...).
 *
 * Revisions are the server's ETags in one normalised form (see `etag.ts`). Servers that send no
 * ETag on GET get a SHA-256 of the content instead; such servers cannot compare and swap, so
 * `If-Match` is not sent to them and the probe puts them in lock mode.
 */
export class WebDavProvider implements RemoteStore {
  readonly label: string;
  private readonly client: WebDAVClient;
  private readonly folder: string;
  private readonly serverUrl: string;
  private readonly timeoutMs: number;
  private readonly limiter: ConcurrencyLimiter;
  /** Learnt from the first GET or HEAD: does this server send ETags on files? */
  private sendsEtags: boolean | undefined;
  private foldersReady: Promise<void> | null = null;

  constructor(settings: WebDavSettings, options: WebDavProviderOptions = {}) {
    this.serverUrl = safeUrl(settings.url);
    this.folder = (settings.folder ?? DEFAULT_WEBDAV_FOLDER).replace(/^\/+|\/+$/g, '');
    this.label = `WebDAV at ${this.serverUrl}`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.limiter = new ConcurrencyLimiter(options.maxConcurrentRequests ?? 4);
    bypassBrowserCacheForWebDav();
    this.client = createClient(settings.url, { username: settings.username, password: settings.password });
    // Keep getetag as the server wrote it: nephele sends it unquoted, and the XML parser would
    // turn an all-digit ETag into a number (and drop leading zeros).
    this.client.registerTagParser((jPath, value) => (jPath.endsWith('propstat.prop.getetag') ? undefined : value));
  }

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
    if (options.ifNoneMatch !== undefined && !isContentHashRevision(options.ifNoneMatch)) headers['If-None-Match'] = options.ifNoneMatch;
    let response: ResponseDataDetailed<ArrayBuffer | Uint8Array>;
    try {
      response = await this.request(`Reading ${describeRemoteFile(path)}`, path, (signal) =>
        this.client.getFileContents(this.remotePath(path), { details: true, format: 'binary', headers, signal }),
      ) as ResponseDataDetailed<ArrayBuffer | Uint8Array>;
    } catch (error) {
      if (error instanceof SyncError && error.details.status === 404) return { status: 'not-found' };
      throw error;
    }
    if (response.status === 304) return { status: 'not-modified' };
    const data = new Uint8Array(response.data);
    const etag = etagOf(response.headers);
    this.sendsEtags = etag !== null;
    const revision = etag ?? (await contentHashRevision(data));
    if (options.ifNoneMatch !== undefined && options.ifNoneMatch === revision) return { status: 'not-modified' };
    return { status: 'ok', data, revision };
  }

  async write(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<WriteResult> {
    await this.ensureSyncFolders();
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (options.createOnly) headers['If-None-Match'] = '*';
    // A content hash is our own invention; a server that honoured If-Match would refuse it.
    if (options.ifMatch !== undefined && !isContentHashRevision(options.ifMatch)) headers['If-Match'] = options.ifMatch;
    const put = () =>
      this.request(`Writing ${describeRemoteFile(path)}`, path, (signal) =>
        this.client.customRequest(this.remotePath(path), { method: 'PUT', headers, data: toArrayBuffer(data), signal }),
      );
    let response: Response;
    try {
      response = (await put()) as Response;
    } catch (error) {
      // 409 on PUT: a parent collection is missing: nested deeper than the prepared folders, or the
      // sync folder was deleted since it was prepared. Some servers answer 404 or 500 for the same.
      if (!(error instanceof SyncError && [409, 404, 500].includes(error.details.status as number))) throw error;
      this.foldersReady = null;
      await this.ensureSyncFolders();
      await this.createFolders(parentFolders(path));
      response = (await put()) as Response;
    }
    const etag = normaliseEtag(response.headers.get('OC-ETag') ?? response.headers.get('ETag'));
    if (etag !== null) {
      this.sendsEtags = true;
      return { revision: etag };
    }
    // Immutable files: nobody will ever send their revision back, so do not spend a request on it.
    if (options.needsRevision === false) return { revision: null };
    return { revision: await this.revisionAfterWrite(path, data, options) };
  }

  async delete(path: string): Promise<void> {
    try {
      await this.request(`Deleting ${describeRemoteFile(path)}`, path, (signal) => this.client.deleteFile(this.remotePath(path), { signal }));
    } catch (error) {
      if (error instanceof SyncError && error.details.status === 404) return;
      throw error;
    }
  }

  async list(folder: string): Promise<RemoteEntry[]> {
    const prefix = folder.replace(/^\/+|\/+$/g, '');
    let stats: FileStat[];
    try {
      stats = (await this.request(`Listing ${prefix || 'the sync folder'}`, prefix, (signal) =>
        this.client.getDirectoryContents(this.remotePath(prefix), { signal }),
      )) as FileStat[];
    } catch (error) {
      if (error instanceof SyncError && error.details.status === 404) return [];
      throw error;
    }
    return stats
      .filter((stat) => stat.type === 'file')
      .map((stat) => ({
        path: prefix ? `${prefix}/${stat.basename}` : stat.basename,
        size: stat.size,
        revision: this.sendsEtags === false ? null : normaliseEtag(stat.etag),
      }));
  }

  /**
   * The PUT answer carried no ETag (nephele, webdav-server). Reading it with a second request may
   * see another device's write that landed in between; returning that ETag as ours would let our
   * next If-Match overwrite it. So the ETag counts as ours only if the bytes are ours.
   */
  private async revisionAfterWrite(path: string, data: Uint8Array, options: WriteOptions): Promise<string | null> {
    if (this.sendsEtags === false) return contentHashRevision(data);
    if (options.createOnly) {
      // A new, uniquely named file: nobody else writes it, so its current ETag is ours.
      const head = (await this.request(`Reading the version of ${describeRemoteFile(path)}`, path, (signal) =>
        this.client.customRequest(this.remotePath(path), { method: 'HEAD', headers: { 'Accept-Encoding': 'identity' }, signal }),
      )) as Response;
      const etag = normaliseEtag(head.headers.get('OC-ETag') ?? head.headers.get('ETag'));
      this.sendsEtags = etag !== null;
      return etag ?? contentHashRevision(data);
    }
    const current = await this.read(path);
    if (current.status !== 'ok') return null;
    if (!this.sendsEtags) return contentHashRevision(data);
    // Someone else's bytes: a revision that matches nothing, so our next If-Match fails and re-reads.
    return sameBytes(current.data, data) ? current.revision : `"superseded-${Date.now()}"`;
  }

  /** Creates the sync folder and its subfolders once; the first PROPFIND usually shows they exist. */
  private ensureSyncFolders(): Promise<void> {
    this.foldersReady ??= this.createSyncFolders().catch((error: unknown) => {
      this.foldersReady = null;
      throw error;
    });
    return this.foldersReady;
  }

  private async createSyncFolders(): Promise<void> {
    let existing: string[] = [];
    try {
      const stats = (await this.request('Looking for the sync folder', '', (signal) =>
        this.client.getDirectoryContents(this.remotePath(''), { signal }),
      )) as FileStat[];
      existing = stats.filter((stat) => stat.type === 'directory').map((stat) => stat.basename);
    } catch (error) {
      if (!(error instanceof SyncError && error.details.status === 404)) throw error;
      const segments = this.folder.split('/').filter(Boolean);
      await this.createFolders(segments.map((_, index) => segments.slice(0, index + 1).join('/')), true);
    }
    await this.createFolders(SYNC_SUBFOLDERS.filter((name) => !existing.includes(name)));
  }

  /** MKCOL each folder in order (paths relative to the sync folder unless `fromShareRoot`). */
  private async createFolders(folders: string[], fromShareRoot = false): Promise<void> {
    for (const folder of folders) {
      const remote = fromShareRoot ? `/${folder}` : this.remotePath(folder);
      try {
        await this.request(`Creating the folder ${remote}`, folder, (signal) => this.client.createDirectory(remote, { signal }));
      } catch (error) {
        if (!(error instanceof SyncError)) throw error;
        const status = error.details.status;
        if (status === 405) continue; // it exists already
        if (status === 409 || status === 404 || status === 403) {
          throw new SyncError(
            'folder-missing',
            `The folder ${remote} could not be created on the server at ${this.serverUrl} (${status}). ` +
              'Check that the WebDAV URL points to an existing folder this user may write to.',
            { status, path: folder, cause: error },
          );
        }
        throw error;
      }
    }
  }

  private remotePath(path: string): string {
    return '/' + [this.folder, path].filter(Boolean).join('/');
  }

  /** One request: limited in parallelism, timed out, and failing only with a SyncError. */
  private request<T>(what: string, path: string, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.limiter.run(() =>
      withTimeout(this.timeoutMs, () => `${what} on ${this.serverUrl}`, async (signal) => {
        try {
          try {
            return await send(signal);
          } catch (error) {
            // A kept-alive connection the server closed without saying so (some do after a DELETE).
            // Sending once more on a new connection is safe: reads and deletes repeat harmlessly, an
            // immutable file is the same bytes, and a conditional write that did land is refused (412),
            // which a round already treats as a lost race.
            if (!isConnectionReset(error) || signal.aborted) throw error;
            return await send(signal);
          }
        } catch (error) {
          throw await webDavFailure(error, {
            serverUrl: this.serverUrl,
            what,
            path,
            requestUrl: `${this.serverUrl.replace(/\/$/, '')}${this.remotePath(path)}`,
          });
        }
      }),
    );
  }
}

function etagOf(headers: Record<string, string>): string | null {
  return normaliseEtag(headers['oc-etag'] ?? headers['etag']);
}

function parentFolders(path: string): string[] {
  const segments = path.split('/').slice(0, -1);
  return segments.map((_, index) => segments.slice(0, index + 1).join('/'));
}

function toArrayBuffer(data: Uint8Array): ArrayBuffer {
  return data.slice().buffer as ArrayBuffer;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}
