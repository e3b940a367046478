import { CausalContextData, Dot } from '../crdt/causal-context';
import { ClockState } from '../crdt/clock';
import { EntityRecord, RegisterValue } from '../crdt/entity-record';
import { DomainEntity, EntityType } from '../crdt/schema';
import { DotRanges, RootMeta, WireValue, fromWireValue, toWireValue } from '../remote/remote-format';
import { CommitMode } from '../remote/remote-store';

/** What a replica persists, and what the app hands it: the shapes stored in IndexedDB (or memory). */
/** A register changed locally since the last commit, with the dots its writes replaced. */
export interface DirtyRegister {
  replaced: Dot[];
  /** Bumped on every local write, so a commit clears only what it actually carried. */
  gen: number;
}

/** A delta uploaded whose commit has not been confirmed yet (a crash or a lost answer may hide the outcome). */
export interface InflightDelta {
  readonly file: string;
  readonly dots: DotRanges;
  readonly counter: number;
  readonly registers: Array<[entityKey: string, key: string, gen: number, replaced: Dot[]]>;
  /** The id the upload was made under (absent in states from before ids changed per opening: the state's own). */
  readonly replica?: string;
}

/** Everything besides the entity records that must be persisted, together with them. */
export interface Bookkeeping {
  readonly replica: string;
  readonly deviceName: string;
  readonly clock: ClockState;
  /** Our last write counter. */
  readonly counter: number;
  /** Our write counter as of our last commit we know succeeded: all the remote may know of us. */
  readonly committedCounter: number;
  /** No longer used (restore detection, replaced by an id per opening). Read and dropped. */
  readonly announcedCounter?: number;
  readonly seen: CausalContextData;
  readonly applied: CausalContextData;
  /** Unsent registers, in states from before they were stored with their records (read, then kept empty). */
  readonly dirty: Array<[entityKey: string, key: string, replaced: Dot[], gen: number]>;
  readonly gen: number;
  readonly inflight: InflightDelta | null;
  /** The last root this device read or wrote. */
  readonly root: RootMeta | null;
  /** Every delta's writes this device has seen committed on the remote: a root must never know less. */
  readonly remoteKnown: CausalContextData;
  readonly rootRevision: string | null;
  readonly mode: CommitMode;
  /** Ids this installation used before (every opening of a stored state takes a new one: session.ts). */
  readonly retiredReplicas: string[];
  /** No longer used (a guess at where a restored copy began; replaced by an id per opening). Read and dropped. */
  readonly openedAt?: number | null;
  /** Which remote `root` and `rootRevision` belong to (the app's name for it); absent in states from before it was kept. */
  readonly remote?: string | null;
}

export interface StoredRecord {
  readonly type: EntityType;
  readonly id: string;
  readonly ver: number;
  readonly keys: Array<[key: string, values: StoredValue[]]>;
  /** The record's registers changed locally since the last commit: stored with the record, so an edit persists only what it changed. */
  readonly dirty?: Array<[key: string, replaced: Dot[], gen: number]>;
}

/** A value as stored locally: as on the wire, and on values this device wrote, what the write replaced (lineage.ts). */
export type StoredValue = WireValue | [...WireValue, Dot[]];

/**
 * What must be written to local storage in one transaction: the changed records and the whole
 * bookkeeping. The app writes it together with the domain change it belongs to (SYNC.md §3).
 */
export interface PersistRequest {
  readonly records: StoredRecord[];
  readonly book: Bookkeeping;
  /** Entities the app shows differently because of this change: write them in the same transaction. */
  readonly view?: ViewChanges;
}

export interface PersistedState {
  readonly records: StoredRecord[];
  readonly book: Bookkeeping;
}

/** Local storage of the sync state: IndexedDB in the app, memory in the simulation. */
export interface SyncPersistence {
  load(): Promise<PersistedState | null>;
  save(request: PersistRequest): Promise<void>;
}

export interface LocalChange {
  readonly type: EntityType;
  readonly id: string;
  /** The entity as the app now holds it; null when it was removed. */
  readonly entity: DomainEntity | null;
  /**
   * The entity as the app held it before the change (null: it did not exist). When given, only
   * what differs between the two is written, even if a merge changed other fields meanwhile.
   * Defaults to the engine's own view of the entity.
   */
  readonly before?: DomainEntity | null;
}

export interface ViewChanges {
  readonly upserted: Array<{ type: EntityType; entity: DomainEntity }>;
  readonly removed: Array<{ type: EntityType; id: string }>;
}

export function storeRecord(record: EntityRecord): StoredRecord {
  return { type: record.type, id: record.id, ver: record.ver, keys: [...record.keys].map(([key, values]) => [key, values.map(storeValue)]) };
}

export function loadRecord(stored: StoredRecord): EntityRecord {
  return { type: stored.type, id: stored.id, ver: stored.ver, keys: new Map(stored.keys.map(([key, values]) => [key, values.map(loadValue)])) };
}

function storeValue(value: RegisterValue): StoredValue {
  return value.p ? [...toWireValue(value), value.p.map(([r, n]): Dot => [r, n])] : toWireValue(value);
}

function loadValue(stored: StoredValue): RegisterValue {
  const value = fromWireValue([stored[0], stored[1], stored[2], stored[3]]);
  const p = stored[4];
  // States stored before values kept their lineage have none; anything malformed is dropped, not trusted.
  const dots = Array.isArray(p) ? p.filter((dot): dot is Dot => Array.isArray(dot) && typeof dot[0] === 'string' && Number.isSafeInteger(dot[1])) : [];
  return dots.length ? { ...value, p: dots } : value;
}

/** Unsent registers as stored with a record; anything malformed is dropped, not trusted. */
export function loadDirty(stored: unknown): Array<[string, Dot[], number]> {
  if (!Array.isArray(stored)) return [];
  const result: Array<[string, Dot[], number]> = [];
  for (const entry of stored) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1]) || !Number.isSafeInteger(entry[2])) continue;
    const dots = (entry[1] as unknown[]).filter((dot): dot is Dot => Array.isArray(dot) && typeof dot[0] === 'string' && Number.isSafeInteger(dot[1]));
    result.push([entry[0], dots, entry[2] as number]);
  }
  return result;
}
