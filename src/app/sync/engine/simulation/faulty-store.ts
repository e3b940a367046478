import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from '../remote-store';
import { SyncError } from '../sync-error';

/** One device's connection to the shared remote: a network that reorders, loses and crashes. */
export interface NetworkBehaviour {
  /** Awaited before and after each request, so concurrent devices interleave at random points. */
  delay(): Promise<void>;
  /** For each request: lose it, lose its answer (after the server applied it), and/or crash the device. */
  fault(): { lose: 'request' | 'response' | null; crash: boolean };
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

  read(path: string, options?: ReadOptions): Promise<ReadResult> {
    return this.request(() => this.inner.read(path, options));
  }

  write(path: string, data: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    return this.request(() => this.inner.write(path, data, options));
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
