import type { CommitMode } from '../../src/app/sync/engine/remote/remote-store';
/**
 * The two ways of syncing that the bench compares, behind one small interface, both on a real
 * RemoteStore (the WebDAV provider):
 *
 * - `DeltaDevice`: the per-entity delta engine (`SyncEngine`) with in-memory local persistence.
 * - `WholeFileDevice`: the baseline. The whole state is one JSON file, `main.json` (the app's
 *   whole-file export shape). A round reads it with `If-None-Match` (the ETag it last saw), so an
 *   unchanged file costs one request and no body; when it changed, the device downloads all of it
 *   and merges entity by entity, last writer wins by `lastModifiedAt` (a local entity edited since
 *   the last sync wins only if it is at least as new). When it has local edits it uploads the whole
 *   file with `If-Match` (create-only the first time); a 412 sends it back to the read.
 *   Plain JSON, not compressed: that is what whole-file sync uploads today.
 */
import { MemoryPersistence } from '../../src/app/sync/engine/replica/memory-persistence';
import { RemoteStore } from '../../src/app/sync/engine/remote/remote-store';
import { DomainEntity, EntityType, entityKey, splitEntityKey } from '../../src/app/sync/engine/crdt/schema';
import { RoundResult, SyncEngine } from '../../src/app/sync/engine/sync-engine';
import { isSyncError } from '../../src/app/sync/engine/sync-error';
import { BenchEntity, wholeFileExport } from './data';

export interface EditSpec {
  readonly id: string;
  readonly title: string;
}

export interface BenchDevice {
  /** Local edits (not timed): each task gets a new title. */
  editTasks(edits: readonly EditSpec[]): Promise<void>;
  /** One sync round (timed). */
  sync(): Promise<RoundInfo>;
  /** The task as this device shows it. */
  task(id: string): DomainEntity | undefined;
}

export interface RoundInfo {
  /** What the engine's own meter saw: RemoteStore calls and bytes (the provider's extra requests are not in it). */
  readonly storeCalls: number;
  readonly compacted: boolean;
  readonly attempts?: number;
}

export class DeltaDevice implements BenchDevice {
  private constructor(readonly engine: SyncEngine) {}

  static async open(store: RemoteStore, name: string, data: readonly BenchEntity[] = [], mode: CommitMode = 'compare-and-swap'): Promise<DeltaDevice> {
    const engine = await SyncEngine.open({ store, persistence: new MemoryPersistence(), deviceName: name, mode });
    if (data.length) await engine.applyLocalChanges(data.map(({ type, entity }) => ({ type, id: entity.id, entity })));
    return new DeltaDevice(engine);
  }

  async editTasks(edits: readonly EditSpec[]): Promise<void> {
    const now = Date.now();
    await this.engine.applyLocalChanges(
      edits.map(({ id, title }) => {
        const current = this.engine.entity('task', id);
        if (!current) throw new Error(`task ${id} is not on this device`);
        return { type: 'task' as const, id, entity: { ...current, title, version: Number(current['version'] ?? 0) + 1, lastModifiedAt: now } };
      }),
    );
  }

  async sync(): Promise<RoundInfo> {
    const result: RoundResult = await this.engine.sync({ confirmMassDelete: true });
    return { storeCalls: result.requests, compacted: result.compacted };
  }

  task(id: string): DomainEntity | undefined {
    return this.engine.entity('task', id);
  }
}

export const MAIN_JSON = 'main.json';

export class WholeFileDevice implements BenchDevice {
  private readonly state = new Map<string, DomainEntity>();
  private readonly dirty = new Set<string>();
  private revision: string | null = null;

  constructor(
    private readonly store: RemoteStore,
    data: readonly BenchEntity[] = [],
  ) {
    for (const { type, entity } of data) {
      this.state.set(entityKey(type, entity.id), entity);
      this.dirty.add(entityKey(type, entity.id));
    }
  }

  async editTasks(edits: readonly EditSpec[]): Promise<void> {
    const now = Date.now();
    for (const { id, title } of edits) {
      const key = entityKey('task', id);
      const current = this.state.get(key);
      if (!current) throw new Error(`task ${id} is not on this device`);
      this.state.set(key, { ...current, title, version: Number(current['version'] ?? 0) + 1, lastModifiedAt: now });
      this.dirty.add(key);
    }
  }

  async sync(): Promise<RoundInfo> {
    let calls = 0;
    for (let attempt = 1; attempt <= 6; attempt++) {
      calls++;
      const read = await this.store.read(MAIN_JSON, this.revision ? { ifNoneMatch: this.revision } : {});
      let current: string | null = this.revision;
      if (read.status === 'ok') {
        this.merge(JSON.parse(new TextDecoder().decode(read.data)));
        current = read.revision;
      } else if (read.status === 'not-found') {
        current = null;
      }
      this.revision = current;
      if (this.dirty.size === 0 && read.status !== 'not-found') return { storeCalls: calls, compacted: false, attempts: attempt };
      const bytes = new TextEncoder().encode(JSON.stringify(wholeFileExport(this.entities(), Date.now())));
      try {
        calls++;
        const written = await this.store.write(MAIN_JSON, bytes, current === null ? { createOnly: true } : { ifMatch: current });
        this.revision = written.revision;
        this.dirty.clear();
        return { storeCalls: calls, compacted: false, attempts: attempt };
      } catch (error) {
        if (!isSyncError(error, 'precondition-failed')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
    throw new Error('whole-file sync: too much contention');
  }

  task(id: string): DomainEntity | undefined {
    return this.state.get(entityKey('task', id));
  }

  private *entities(): Iterable<BenchEntity> {
    for (const [key, entity] of this.state) yield { type: splitEntityKey(key).type, entity };
  }

  private merge(raw: { data: Record<string, { ids: string[]; entities: Record<string, DomainEntity> }> }): void {
    for (const [type, table] of Object.entries(raw.data)) {
      for (const id of table.ids) {
        const remote = table.entities[id];
        const key = entityKey(type as EntityType, id);
        const local = this.state.get(key);
        if (local && this.dirty.has(key) && Number(local['lastModifiedAt'] ?? 0) >= Number(remote['lastModifiedAt'] ?? 0)) continue;
        this.state.set(key, remote);
        this.dirty.delete(key);
      }
    }
  }
}
