import { MemoryPersistence } from '../replica/memory-persistence';
import { MemoryRemote, MemoryRemoteOptions } from '../remote/memory-remote';
import { CommitMode, RemoteStore } from '../remote/remote-store';
import { DomainEntity, EntityType } from '../crdt/schema';
import { SyncEngine, SyncEngineOptions } from '../sync-engine';
import { SyncError } from '../sync-error';

/** A small world for engine tests: one remote, devices with a shared controllable clock. */
export class World {
  readonly remote: MemoryRemote;
  now = 1_700_000_000_000;

  constructor(remote: MemoryRemoteOptions = {}) {
    this.remote = new MemoryRemote({ now: () => this.now, ...remote });
  }

  device(name: string, options: Partial<SyncEngineOptions> & { mode?: CommitMode; persistence?: MemoryPersistence } = {}): Promise<SyncEngine> {
    return SyncEngine.open({
      store: this.remote,
      persistence: options.persistence ?? new MemoryPersistence(),
      deviceName: name,
      now: () => this.now,
      monotonic: () => this.now,
      sleep: async () => undefined,
      ...options,
    });
  }

  later(ms = 1_000): void {
    this.now += ms;
  }
}

export function task(id: string, fields: Record<string, unknown> = {}): DomainEntity {
  return { id, title: id, notes: '', isDone: false, doneOn: null, projectId: null, parentId: null, subTaskIds: [], tagIds: [], timeEstimate: 0, timeSpent: 0, timeSpentOnDay: {}, dueDay: null, created: 1, version: 1, ...fields };
}

export function project(id: string, fields: Record<string, unknown> = {}): DomainEntity {
  return { id, title: id, taskIds: [], backlogTaskIds: [], theme: { primary: '#3f51b5' }, isArchived: false, version: 1, ...fields };
}

export function tag(id: string, fields: Record<string, unknown> = {}): DomainEntity {
  return { id, title: id, taskIds: [], color: '#ff0000', version: 1, ...fields };
}

/** Apply an edit to what the device shows now. */
export async function edit(engine: SyncEngine, type: EntityType, id: string, change: (entity: DomainEntity) => Record<string, unknown>): Promise<void> {
  const current = engine.entity(type, id);
  if (!current) throw new Error(`${type} ${id} is not on this device`);
  await engine.applyLocalChanges([{ type, id, entity: { ...current, ...change(current), version: Number(current['version'] ?? 0) + 1 } }]);
}

export async function create(engine: SyncEngine, type: EntityType, entity: DomainEntity): Promise<void> {
  await engine.applyLocalChanges([{ type, id: entity.id, entity }]);
}

export async function remove(engine: SyncEngine, type: EntityType, id: string): Promise<void> {
  await engine.applyLocalChanges([{ type, id, entity: null }]);
}

/** Every device syncs, twice over, in order. */
export async function syncAll(...engines: SyncEngine[]): Promise<void> {
  for (let pass = 0; pass < 2; pass++) for (const engine of engines) await engine.sync({ confirmMassDelete: true });
}

/** A store that passes everything to `inner` except the operations given (for racing, counting, failing). */
export function overriding(inner: RemoteStore, overrides: Partial<Omit<RemoteStore, 'label'>>): RemoteStore {
  return {
    label: inner.label,
    read: overrides.read ?? ((path, options) => inner.read(path, options)),
    write: overrides.write ?? ((path, data, options) => inner.write(path, data, options)),
    delete: overrides.delete ?? ((path) => inner.delete(path)),
    list: overrides.list ?? ((folder) => inner.list(folder)),
  };
}

/** A store whose next `meta.json` write, once armed, fails as a dropped connection: the upload it would name stays unnamed. */
export function losingRootWrites(inner: RemoteStore): { store: RemoteStore; loseNext(): void } {
  let armed = false;
  const store = overriding(inner, {
    write: (path, data, options) => {
      if (path === 'meta.json' && armed) {
        armed = false;
        return Promise.reject(new SyncError('offline', 'the connection dropped'));
      }
      return inner.write(path, data, options);
    },
  });
  return { store, loseNext: () => (armed = true) };
}

/** A store that, once armed, answers the next delta upload as stored and drops it (a server that lies). */
export function droppingDeltas(inner: RemoteStore): { store: RemoteStore; dropNext(): void } {
  let armed = false;
  const store = overriding(inner, {
    write: (path, data, options) => {
      if (armed && path.startsWith('deltas/')) {
        armed = false;
        return Promise.resolve({ revision: null });
      }
      return inner.write(path, data, options);
    },
  });
  return { store, dropNext: () => (armed = true) };
}
