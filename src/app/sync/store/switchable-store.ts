import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from '../engine/remote/remote-store';
import { SyncError } from '../engine/sync-error';

/** The remote the engine talks to; swapped when the person connects another provider. */
export class SwitchableStore implements RemoteStore {
  target: RemoteStore | null = null;

  get label(): string {
    return this.target?.label ?? 'no sync target';
  }

  private get store(): RemoteStore {
    if (!this.target) throw new SyncError('folder-missing', 'Sync is off: choose a provider in the sync settings.');
    return this.target;
  }

  read(path: string, options?: ReadOptions): Promise<ReadResult> {
    return this.store.read(path, options);
  }
  write(path: string, data: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    return this.store.write(path, data, options);
  }
  delete(path: string): Promise<void> {
    return this.store.delete(path);
  }
  list(folder: string): Promise<RemoteEntry[]> {
    return this.store.list(folder);
  }
}
