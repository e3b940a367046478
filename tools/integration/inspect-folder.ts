import { RemoteStore } from '../../src/app/sync/engine/remote/remote-store';
import { SimulationRemote } from '../../src/app/sync/engine/simulation/simulation';

/** Every sync file of a folder, read directly (not through the devices' lossy network), for the simulation's checks. */
export function inspectFolder(store: RemoteStore): SimulationRemote['files'] {
  return async () => {
    const files = new Map<string, { data: Uint8Array; revision: string | null }>();
    for (const folder of ['', 'deltas', 'snapshots']) {
      for (const entry of await store.list(folder)) {
        const path = entry.path.replace(/^\/+/, '');
        if (!/^(meta\.json|lock\.json|(deltas|snapshots)\/.+)$/.test(path)) continue;
        const read = await store.read(path);
        if (read.status === 'ok') files.set(path, { data: read.data, revision: read.revision });
      }
    }
    return files;
  };
}
