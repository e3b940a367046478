import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from '../engine/remote/remote-store';
import { SyncError } from '../engine/sync-error';

/**
 * The remote the engine talks to; swapped when the person connects another provider. A round
 * talks to one remote from its start to its end: while it is pinned, a remote connected meanwhile
 * waits for the next round (a round that read one root and wrote another remote's would name the
 * first remote's files in the second one and, on a server that ignores If-Match, replace its root).
 */
export class SwitchableStore implements RemoteStore {
  target: RemoteStore | null = null;
  private pinned: RemoteStore | null = null;

  /** Keep the current target for one round, whatever is connected meanwhile; the returned function lets go. */
  pin(): () => void {
    const target = this.store;
    this.pinned = target;
    return () => {
      if (this.pinned === target) this.pinned = null;
    };
  }

  get label(): string {
    return (this.pinned ?? this.target)?.label ?? 'no sync target';
  }

  private get store(): RemoteStore {
    if (this.pinned) return this.pinned;
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
