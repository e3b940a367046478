import { DestroyRef, inject, Injectable } from '@angular/core';
import { DomainData, EntityType } from '../domain/domain-data.model';
import { repairRelations } from '../domain/relations/repair-relations';
import { ensureSyncMetadata } from '../domain/sync-metadata.model';
import { AppDb, DEVICE_ID_KEY, ENTITY_STORES, openAppDb, SETTINGS_STORE, SYNC_BOOK_KEY, SYNC_RECORDS_STORE, SYNC_STATE_STORE, TAB_PROGRESS_STORE, TAB_TERM_KEY } from './app-db';
import { APP_DB_NAME } from './persistence.tokens';
import { CLOCK } from '../domain/clock';

export interface LoadedState {
  data: DomainData;
  deviceId: string;
  /** Entities that were written back because they lacked sync metadata or had broken references. */
  migrated: number;
  repairs: string[];
  /** For the tab that now leads (see tabs/tab-protocol.ts): its term, and per tab the number of its last edit stored. */
  tabs: { term: number; stored: Array<[tab: string, upTo: number]> };
}

/** A tab heard of for this long is gone: its progress row is dropped. */
const TAB_PROGRESS_KEPT_MS = 30 * 24 * 3600_000;

function newDeviceId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The sync engine's share of a write: its changed entity records (keyed `type:id`) and its
 * bookkeeping. Persistence stores them opaquely; what they mean is the engine's business.
 */
export interface SyncBookkeepingWrite {
  readonly records: ReadonlyArray<{ readonly type: string; readonly id: string }>;
  readonly book: unknown;
}

export interface EntityWrites {
  readonly upsert: ReadonlyArray<{ readonly type: EntityType; readonly entity: { readonly id: string } }>;
  readonly remove: ReadonlyArray<{ readonly type: EntityType; readonly id: string }>;
}

/** One batch: entity rows, the sync engine's bookkeeping for them, and the ids of the other tabs' actions they carry. */
export interface WriteBatch extends EntityWrites {
  readonly sync?: SyncBookkeepingWrite | null;
  readonly tabActions?: readonly string[];
}

/** The app's IndexedDB: loads everything once at start, then writes entity changes. */
@Injectable({ providedIn: 'root' })
export class LocalDatabase {
  readonly name = inject(APP_DB_NAME);
  private readonly clock = inject(CLOCK);
  private dbPromise: Promise<AppDb> | null = null;
  /** Writes run one after another, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();

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
   * Only the leading tab loads: it takes the next leader term in the same transaction.
   */
  async load(): Promise<LoadedState> {
    const db = await this.db();
    const tx = db.transaction([...ENTITY_STORES, SETTINGS_STORE, TAB_PROGRESS_STORE], 'readwrite');
    const settings = tx.objectStore(SETTINGS_STORE);
    let deviceId = await settings.get(DEVICE_ID_KEY);
    if (typeof deviceId !== 'string' || !deviceId) {
      deviceId = newDeviceId();
      await settings.put(deviceId, DEVICE_ID_KEY);
    }
    const lastTerm = await settings.get(TAB_TERM_KEY);
    const term = (typeof lastTerm === 'number' && Number.isFinite(lastTerm) ? lastTerm : 0) + 1;
    await settings.put(term, TAB_TERM_KEY);
    const progress = tx.objectStore(TAB_PROGRESS_STORE);
    const stored: Array<[string, number]> = [];
    const [tabIds, tabRows] = await Promise.all([progress.getAllKeys(), progress.getAll()]);
    tabIds.forEach((tab, i) => {
      const row = tabRows[i]!;
      if (row.at < this.clock() - TAB_PROGRESS_KEPT_MS) void progress.delete(tab);
      else stored.push([tab, row.upTo]);
    });
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
    return { data, deviceId: deviceId as string, migrated, repairs, tabs: { term, stored } };
  }

  /**
   * Writes one batch in a single transaction: the entity rows, the sync engine's bookkeeping for
   * them and the ids of the tab actions they came from all land, or none does. Batches are written
   * in the order they were asked for.
   */
  writeBatch(batch: WriteBatch): Promise<void> {
    const run = this.queue.then(() => this.writeNow(batch));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeNow(batch: WriteBatch): Promise<void> {
    const { sync } = batch;
    const tabActions = batch.tabActions ?? [];
    const types = new Set<EntityType>([...batch.upsert.map((w) => w.type), ...batch.remove.map((w) => w.type)]);
    const stores: Array<EntityType | typeof SYNC_RECORDS_STORE | typeof SYNC_STATE_STORE | typeof TAB_PROGRESS_STORE> = [...types];
    if (sync) stores.push(SYNC_RECORDS_STORE, SYNC_STATE_STORE);
    if (tabActions.length) stores.push(TAB_PROGRESS_STORE);
    if (!stores.length) return;
    const db = await this.db();
    const tx = db.transaction(stores, 'readwrite');
    const ops: Promise<unknown>[] = [];
    for (const { type, entity } of batch.upsert) ops.push(tx.objectStore(type).put(entity as never));
    for (const { type, id } of batch.remove) ops.push(tx.objectStore(type).delete(id));
    if (sync) {
      const records = tx.objectStore(SYNC_RECORDS_STORE);
      for (const record of sync.records) ops.push(records.put(record, `${record.type}:${record.id}`));
      ops.push(tx.objectStore(SYNC_STATE_STORE).put(sync.book, SYNC_BOOK_KEY));
    }
    if (tabActions.length) {
      // A tab's edits are stored in order, so the highest number stored says all before it are too.
      const upTo = new Map<string, number>();
      for (const id of tabActions) {
        const at = id.lastIndexOf(':');
        const tab = id.slice(0, at);
        upTo.set(tab, Math.max(upTo.get(tab) ?? 0, Number(id.slice(at + 1))));
      }
      const progress = tx.objectStore(TAB_PROGRESS_STORE);
      for (const [tab, n] of upTo) ops.push(progress.put({ upTo: n, at: this.clock() }, tab));
    }
    await Promise.all([...ops, tx.done]);
  }

  /** The sync engine's records and bookkeeping, or null before its first save. */
  async loadSync(): Promise<{ records: unknown[]; book: unknown } | null> {
    const db = await this.db();
    const tx = db.transaction([SYNC_RECORDS_STORE, SYNC_STATE_STORE], 'readonly');
    const [records, book] = await Promise.all([tx.objectStore(SYNC_RECORDS_STORE).getAll(), tx.objectStore(SYNC_STATE_STORE).get(SYNC_BOOK_KEY)]);
    await tx.done;
    return book === undefined ? null : { records, book };
  }

  async readSetting<T>(key: string): Promise<T | undefined> {
    const db = await this.db();
    return (await db.get(SETTINGS_STORE, key)) as T | undefined;
  }

  async writeSetting(key: string, value: unknown): Promise<void> {
    const db = await this.db();
    if (value === undefined) await db.delete(SETTINGS_STORE, key);
    else await db.put(SETTINGS_STORE, value, key);
  }

  async close(): Promise<void> {
    if (!this.dbPromise) return;
    const db = await this.dbPromise.catch(() => null);
    db?.close();
    this.dbPromise = null;
  }
}
