import { DestroyRef, inject, Injectable } from '@angular/core';
import { DomainData, EntityType } from '../domain/domain-data.model';
import { DomainDiff } from '../domain/entity-diff';
import { repairRelations } from '../domain/relations/repair-relations';
import { ensureSyncMetadata } from '../domain/sync-metadata.model';
import { AppDb, DEVICE_ID_KEY, ENTITY_STORES, openAppDb, SETTINGS_STORE } from './app-db';
import { APP_DB_NAME } from './persistence.tokens';
import { CLOCK } from '../domain/clock';

export interface LoadedState {
  data: DomainData;
  deviceId: string;
  /** Entities that were written back because they lacked sync metadata or had broken references. */
  migrated: number;
  repairs: string[];
}

function newDeviceId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The app's IndexedDB: loads everything once at start, then writes entity changes. */
@Injectable({ providedIn: 'root' })
export class LocalDatabase {
  readonly name = inject(APP_DB_NAME);
  private readonly clock = inject(CLOCK);
  private dbPromise: Promise<AppDb> | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => void this.close());
  }

  private db(): Promise<AppDb> {
    this.dbPromise ??= openAppDb(this.name);
    return this.dbPromise;
  }

  /**
   * Reads every entity, creates this installation's device id on first start, and brings old
   * data up to date (sync metadata, consistent id lists), writing what it changed back at once.
   */
  async load(): Promise<LoadedState> {
    const db = await this.db();
    const tx = db.transaction([...ENTITY_STORES, SETTINGS_STORE], 'readwrite');
    const settings = tx.objectStore(SETTINGS_STORE);
    let deviceId = await settings.get(DEVICE_ID_KEY);
    if (typeof deviceId !== 'string' || !deviceId) {
      deviceId = newDeviceId();
      await settings.put(deviceId, DEVICE_ID_KEY);
    }
    const stamp = { now: this.clock(), deviceId: deviceId as string };
    const [task, project, tag, metric] = await Promise.all(
      ENTITY_STORES.map((store) => tx.objectStore(store).getAll()),
    );
    const stamped = {
      task: task.map((e) => ensureSyncMetadata(e, stamp)),
      project: project.map((e) => ensureSyncMetadata(e, stamp)),
      tag: tag.map((e) => ensureSyncMetadata(e, stamp)),
      metric: metric.map((e) => ensureSyncMetadata(e, stamp)),
    } as DomainData;
    const { data, repairs } = repairRelations(stamped);
    const raw = { task, project, tag, metric } as DomainData;
    let migrated = 0;
    const writes: Promise<unknown>[] = [];
    for (const type of ENTITY_STORES) {
      const before = raw[type] as unknown[];
      (data[type] as unknown[]).forEach((entity, i) => {
        if (entity !== before[i]) {
          migrated++;
          writes.push(tx.objectStore(type).put(entity as never));
        }
      });
    }
    await Promise.all(writes);
    await tx.done;
    return { data, deviceId: deviceId as string, migrated, repairs };
  }

  /** Writes one batch of changes in a single transaction: all of it lands, or none. */
  async write(diff: DomainDiff): Promise<void> {
    const db = await this.db();
    const types = ENTITY_STORES.filter(
      (t) => diff[t].created.length || diff[t].updated.length || diff[t].removed.length,
    );
    if (!types.length) return;
    const tx = db.transaction(types, 'readwrite');
    const ops: Promise<unknown>[] = [];
    for (const type of types) {
      const store = tx.objectStore(type as EntityType);
      const changes = diff[type];
      for (const e of changes.created) ops.push(store.put(e as never));
      for (const e of changes.updated) ops.push(store.put(e as never));
      for (const e of changes.removed) ops.push(store.delete(e.id));
    }
    await Promise.all([...ops, tx.done]);
  }

  async close(): Promise<void> {
    if (!this.dbPromise) return;
    const db = await this.dbPromise.catch(() => null);
    db?.close();
    this.dbPromise = null;
  }
}
