import { DBSchema, IDBPDatabase, openDB } from 'idb';
import { Metric } from '../domain/metric/metric.model';
import { Project } from '../domain/project/project.model';
import { Tag } from '../domain/tag/tag.model';
import { Task } from '../domain/task/task.model';

/**
 * IndexedDB layout:
 * - version 1: `task`, `project`, `tag`, `metric`: one record per entity, keyPath `id`, stored as
 *   the domain model. `settings`: out-of-line keys, small values (`deviceId`, sync provider, ...).
 * - version 2: `syncRecords`: the sync engine's record of each entity (registers with dots and
 *   stamps), keyed `type:id`; `syncState`: the engine's bookkeeping (one value, key `book`).
 *   Both are written in the same transaction as the entity changes they belong to.
 *   `settings` also holds the tab leader's term and the stored tab actions' ids (no schema change).
 */
export interface AppDbSchema extends DBSchema {
  task: { key: string; value: Task };
  project: { key: string; value: Project };
  tag: { key: string; value: Tag };
  metric: { key: string; value: Metric };
  settings: { key: string; value: unknown };
  syncRecords: { key: string; value: unknown };
  syncState: { key: string; value: unknown };
  tabProgress: { key: string; value: { upTo: number; at: number } };
}

/**
 * Version 3 adds `tabProgress`: per tab of this profile, the number of its last forwarded edit
 * stored (`{ upTo, at }`, key the tab's id; tabs/tab-protocol.ts). Opening it also makes tabs of
 * the app from before tabs/ (two engines, two writers) close their connection (their
 * `versionchange` handler), so they cannot write beside the leader.
 */
export const APP_DB_VERSION = 3;
export const ENTITY_STORES = ['task', 'project', 'tag', 'metric'] as const;
export const SETTINGS_STORE = 'settings';
export const DEVICE_ID_KEY = 'deviceId';
/** The term of the tab that leads now, and the ids of forwarded tab actions already stored (tabs/tab-protocol.ts). */
export const TAB_TERM_KEY = 'tabLeaderTerm';
export const TAB_PROGRESS_STORE = 'tabProgress';
export const SYNC_RECORDS_STORE = 'syncRecords';
export const SYNC_STATE_STORE = 'syncState';
export const SYNC_BOOK_KEY = 'book';

export type AppDb = IDBPDatabase<AppDbSchema>;

export async function openAppDb(name: string): Promise<AppDb> {
  const db = await openDB<AppDbSchema>(name, APP_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        for (const store of ENTITY_STORES) db.createObjectStore(store, { keyPath: 'id' });
        db.createObjectStore(SETTINGS_STORE);
      }
      if (oldVersion < 2) {
        db.createObjectStore(SYNC_RECORDS_STORE);
        db.createObjectStore(SYNC_STATE_STORE);
      }
      if (oldVersion < 3) db.createObjectStore(TAB_PROGRESS_STORE);
    },
  });
  // Another tab wants a newer schema (or the database is being deleted): let it proceed. Writes
  // from this tab then fail, and are reported as such, until it is reloaded.
  db.addEventListener('versionchange', () => db.close());
  return db;
}
