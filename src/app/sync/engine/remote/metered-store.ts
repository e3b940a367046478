import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from './remote-store';

/** Counts requests and body bytes of one round, for its report and the benchmarks. */
export class MeteredStore implements RemoteStore {
  requests = 0;
  bytesSent = 0;
  bytesReceived = 0;

  constructor(private readonly inner: RemoteStore) {}

  get label(): string {
    return this.inner.label;
  }

  async read(path: string, options?: ReadOptions): Promise<ReadResult> {
    this.requests++;
    const result = await this.inner.read(path, options);
    if (result.status === 'ok') this.bytesReceived += result.data.byteLength;
    return result;
  }

  async write(path: string, data: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    this.requests++;
    this.bytesSent += data.byteLength;
    return this.inner.write(path, data, options);
  }

  async delete(path: string): Promise<void> {
    this.requests++;
    return this.inner.delete(path);
  }

  async list(folder: string): Promise<RemoteEntry[]> {
    this.requests++;
    return this.inner.list(folder);
  }
}

/** Runs tasks with at most `limit` at a time, keeping results in order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}
