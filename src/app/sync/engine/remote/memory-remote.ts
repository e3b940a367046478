import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from './remote-store';
import { SyncError } from '../sync-error';

export interface MemoryRemoteOptions {
  /** When false the server ignores `If-Match` and `If-None-Match: *` on writes (nginx, webdav-server v2). */
  readonly honoursConditions?: boolean;
  /**
   * 'unique': every write gets a new revision. 'none': no revisions at all.
   * 'per-second': the revision is the write's second, so two writes in one second share it.
   */
  readonly revisions?: 'unique' | 'none' | 'per-second';
  /** The server's clock, for 'per-second' revisions. */
  readonly now?: () => number;
  /** Called after every change to the files (the simulation checks remote integrity there). */
  readonly afterChange?: (remote: MemoryRemote) => void;
}

interface StoredFile {
  readonly data: Uint8Array;
  readonly revision: string;
}

/** A complete remote in memory that honours the RemoteStore contract, and can misbehave on purpose. */
export class MemoryRemote implements RemoteStore {
  readonly label = 'in-memory remote';
  readonly files = new Map<string, StoredFile>();
  private writeCount = 0;

  constructor(private readonly options: MemoryRemoteOptions = {}) {}

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    return this.request('read', path, () => {
      const file = this.files.get(path);
      if (!file) return { status: 'not-found' } as const;
      const revision = this.visibleRevision(file);
      if (options.ifNoneMatch !== undefined && revision !== null && options.ifNoneMatch === revision) {
        return { status: 'not-modified' } as const;
      }
      return { status: 'ok', data: file.data.slice(), revision } as const;
    });
  }

  async write(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<WriteResult> {
    return this.request('write', path, () => {
      const existing = this.files.get(path);
      if (this.options.honoursConditions !== false) {
        if (options.createOnly && existing) {
          throw new SyncError('precondition-failed', `${path} already exists.`, { status: 412, path });
        }
        if (options.ifMatch !== undefined && (!existing || this.visibleRevision(existing) !== options.ifMatch)) {
          throw new SyncError('precondition-failed', `${path} changed since it was read.`, { status: 412, path });
        }
      }
      const file = { data: data.slice(), revision: this.nextRevision() };
      this.files.set(path, file);
      return { revision: this.visibleRevision(file) };
    });
  }

  async delete(path: string): Promise<void> {
    return this.request('delete', path, () => {
      this.files.delete(path);
    });
  }

  async list(folder: string): Promise<RemoteEntry[]> {
    return this.request('list', folder, () => {
      const prefix = folder === '' ? '' : folder.replace(/\/?$/, '/');
      return [...this.files.entries()]
        .filter(([path]) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
        .map(([path, file]) => ({ path, size: file.data.byteLength, revision: this.visibleRevision(file) }));
    });
  }

  private async request<T>(operation: 'read' | 'write' | 'delete' | 'list', path: string, apply: () => T): Promise<T> {
    // Let other devices' requests interleave with this one, as on a real network.
    await Promise.resolve();
    const result = apply();
    if (operation === 'write' || operation === 'delete') this.options.afterChange?.(this);
    return result;
  }

  private nextRevision(): string {
    this.writeCount += 1;
    if (this.options.revisions === 'per-second') return `s${Math.floor((this.options.now?.() ?? Date.now()) / 1000)}`;
    return `r${this.writeCount}`;
  }

  private visibleRevision(file: StoredFile): string | null {
    return this.options.revisions === 'none' ? null : file.revision;
  }
}
