import { Injectable } from '@angular/core';
import { MemoryRemote } from '../app/sync/engine/remote/memory-remote';
import { RemoteStore } from '../app/sync/engine/remote/remote-store';
import { SyncError } from '../app/sync/engine/sync-error';
import { ProviderSettings } from '../app/sync/store/provider-settings';
import { RemotesService } from '../app/sync/store/remotes.service';

/** Remotes by address: `memory://cas` compares and swaps, `memory://lock` ignores If-Match (as nginx does). */
@Injectable()
export class MemoryRemotes extends RemotesService {
  static remotes = new Map<string, MemoryRemote>();
  static requests: string[] = [];
  /** The first request starting with `request` (`<url> read <path>`, `<url> write <path>`) waits for `release`; `reached` is called when it is made. */
  static hold: { request: string; reached: () => void; release: Promise<void> } | null = null;
  static initial: ProviderSettings = { provider: 'webdav', url: 'memory://cas', username: '', password: '', folder: 'f', mode: 'compare-and-swap' };
  override async loadSettings(): Promise<ProviderSettings | null> {
    return MemoryRemotes.initial;
  }
  override async saveSettings(): Promise<void> {}
  static reset(): void {
    MemoryRemotes.remotes = new Map();
    MemoryRemotes.requests = [];
    MemoryRemotes.hold = null;
    MemoryRemotes.failing = null;
  }
  /** Hold the next request starting with `request`: `reached` resolves when it is made, `release` lets it go on. */
  static holdAt(request: string): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    const reached = new Promise<void>((resolve) => {
      MemoryRemotes.hold = { request, reached: resolve, release: new Promise<void>((go) => (release = go)) };
    });
    return { reached, release };
  }

  /** Requests starting with this fail as a dropped connection would. */
  static failing: string | null = null;
  private static async made(request: string): Promise<void> {
    MemoryRemotes.requests.push(request);
    if (MemoryRemotes.failing && request.startsWith(MemoryRemotes.failing)) throw new SyncError('offline', `The connection dropped (${request}).`);
    const hold = MemoryRemotes.hold;
    if (!hold || !request.startsWith(hold.request)) return;
    MemoryRemotes.hold = null;
    hold.reached();
    await hold.release;
  }
  override createStore(settings: ProviderSettings): RemoteStore {
    const url = settings.provider === 'webdav' ? settings.url : 'dropbox';
    let remote = MemoryRemotes.remotes.get(url);
    if (!remote) MemoryRemotes.remotes.set(url, (remote = new MemoryRemote({ honoursConditions: url !== 'memory://lock' })));
    const target = remote;
    return {
      label: url,
      read: async (path, options) => {
        await MemoryRemotes.made(`${url} read ${path}`);
        return target.read(path, options);
      },
      write: async (path, data, options) => {
        await MemoryRemotes.made(`${url} write ${path}`);
        return target.write(path, data, options);
      },
      delete: (path) => target.delete(path),
      list: (folder) => target.list(folder),
    };
  }
}

