/**
 * The one interface every provider (WebDAV, Dropbox, the in-memory remote) implements.
 *
 * Paths are relative to the sync folder and use `/` ("meta.json", "deltas/12-dev-x.json.gz").
 * A provider maps them into its own folder and creates parent folders as needed. The engine
 * only ever builds paths from names it generated itself (see `paths.ts`), never from remote content.
 */

/** An opaque revision of a file: an ETag for WebDAV, a `rev` for Dropbox. Compared only for equality. */
export type Revision = string;

export type ReadResult =
  | { readonly status: 'ok'; readonly data: Uint8Array; readonly revision: Revision | null }
  | { readonly status: 'not-modified' }
  | { readonly status: 'not-found' };

export interface ReadOptions {
  /** Answer `not-modified` (no body) when the file's revision still equals this one. */
  readonly ifNoneMatch?: Revision;
}

export interface WriteOptions {
  /** Write only if the file's current revision equals this one; otherwise throw a `precondition-failed` SyncError. */
  readonly ifMatch?: Revision;
  /** Write only if the file does not exist yet; otherwise throw a `precondition-failed` SyncError. */
  readonly createOnly?: boolean;
  /**
   * False when the caller will never use the new file's revision (immutable delta and snapshot
   * files): a provider whose server sends no revision on write can skip asking for it.
   */
  readonly needsRevision?: boolean;
}

export interface WriteResult {
  /** The revision of what was written, when the server says so (null when it does not). */
  readonly revision: Revision | null;
}

export interface RemoteEntry {
  readonly path: string;
  readonly size: number;
  readonly revision: Revision | null;
}

/** How a commit of `meta.json` is kept safe on this remote (SYNC.md §6). */
export type CommitMode = 'compare-and-swap' | 'lock';

export interface RemoteStore {
  /** A human-readable name for messages: "WebDAV at https://cloud.example/dav", "Dropbox". */
  readonly label: string;
  read(path: string, options?: ReadOptions): Promise<ReadResult>;
  /** Throws SyncError('precondition-failed') when `ifMatch`/`createOnly` is not met (on servers that honour them). */
  write(path: string, data: Uint8Array, options?: WriteOptions): Promise<WriteResult>;
  /** Deleting a file that does not exist is not an error. */
  delete(path: string): Promise<void>;
  /** Lists the files directly in `folder` ("" is the sync folder itself). A missing folder lists as empty. */
  list(folder: string): Promise<RemoteEntry[]>;
}
