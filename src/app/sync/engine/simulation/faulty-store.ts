import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from '../remote/remote-store';
import { SyncError } from '../sync-error';

/** One device's connection to the shared remote: a network that reorders, loses and crashes. */
export interface NetworkBehaviour {
  /** Awaited before and after each request, so concurrent devices interleave at random points. */
  delay(): Promise<void>;
  /** For each request: lose it, lose its answer (after the server applied it), and/or crash the device. */
  fault(): { lose: 'request' | 'response' | null; crash: boolean };
  /** How the server lies, per request: a 404 for a file that is there, an older copy, a write answered and dropped. */
  lie?(kind: 'read' | 'write', path: string): 'spurious-404' | 'stale' | 'drop' | null;
}

export class DeviceCrashed extends Error {
  constructor() {
    super('the device crashed');
  }
}

export class FaultyStore implements RemoteStore {
  crashed = false;

  constructor(
    private readonly inner: RemoteStore,
    private readonly network: NetworkBehaviour,
  ) {}

  get label(): string {
    return this.inner.label;
  }

  /** Copies of meta.json this device read earlier: what a stale cache in front of the server answers with. */
  private readonly earlierRoots: Array<{ data: Uint8Array; revision: string | null }> = [];

  read(path: string, options?: ReadOptions): Promise<ReadResult> {
    return this.request(async () => {
      const lie = this.network.lie?.('read', path) ?? null;
      if (lie === 'spurious-404') return { status: 'not-found' };
      const stale = lie === 'stale' && path === 'meta.json' ? this.earlierRoots[0] : undefined;
      if (stale) {
        if (options?.ifNoneMatch !== undefined && options.ifNoneMatch === stale.revision) return { status: 'not-modified' };
        return { status: 'ok', data: stale.data, revision: stale.revision };
      }
      const result = await this.inner.read(path, options);
      if (path === 'meta.json' && result.status === 'ok') {
        this.earlierRoots.push({ data: result.data, revision: result.revision });
        if (this.earlierRoots.length > 3) this.earlierRoots.shift();
      }
      return result;
    });
  }

  write(path: string, data: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    return this.request(async () => {
      // A server that answers 201 and never stores the file (only immutable files: the root is read back or compared).
      if (path !== 'meta.json' && path !== 'lock.json' && this.network.lie?.('write', path) === 'drop') return { revision: null };
      return this.inner.write(path, data, options);
    });
  }

  delete(path: string): Promise<void> {
    return this.request(() => this.inner.delete(path));
  }

  list(folder: string): Promise<RemoteEntry[]> {
    return this.request(() => this.inner.list(folder));
  }

  private async request<T>(send: () => Promise<T>): Promise<T> {
    // A crashed device sends nothing more: its engine is gone.
    if (this.crashed) throw new DeviceCrashed();
    await this.network.delay();
    const { lose, crash } = this.network.fault();
    if (lose === 'request') return this.fail(crash, 'request lost');
    const result = await send();
    await this.network.delay();
    if (lose === 'response') return this.fail(crash, 'answer lost');
    if (crash) return this.fail(true, 'crashed after the answer');
    return result;
  }

  private fail(crash: boolean, why: string): never {
    if (crash) {
      this.crashed = true;
      throw new DeviceCrashed();
    }
    throw new SyncError('offline', `simulated network fault: ${why}`);
  }
}
