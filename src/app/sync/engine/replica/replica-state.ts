import { CausalContext, CausalContextData, Dot } from '../crdt/causal-context';
import { ClockState, encodeStamp, observe, tick } from '../crdt/clock';
import { Json } from '../crdt/json';
import { DELETED_KEY, EntityRecord, applyRegisterChange, cloneRecord, dotId, joinRegister, newRecord, sameRegister } from '../crdt/entity-record';
import { localWrites } from '../crdt/local-writes';
import { materialize } from '../crdt/materialize';
import { DotRanges, ParsedDelta, ParsedSnapshot, RootMeta, WireValue, fromWireValue, toWireValue } from '../remote/remote-format';
import { CommitMode } from '../remote/remote-store';
import { EntitiesByType, repairReferences } from './repair';
import { SyncError } from '../sync-error';
import { DomainEntity, ENTITY_TYPES, EntityType, entityKey, isSyncableId, splitEntityKey } from '../crdt/schema';

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
  /**
   * Our write counter as of the last file we uploaded, committed or not: the remote may know our
   * writes up to it from this very state (an upload whose commit we never heard of, found later as
   * an unnamed delta). Only writes beyond it mean another copy of this state wrote (a restore).
   */
  readonly announcedCounter?: number;
  readonly seen: CausalContextData;
  readonly applied: CausalContextData;
  readonly dirty: Array<[entityKey: string, key: string, replaced: Dot[], gen: number]>;
  readonly gen: number;
  readonly inflight: InflightDelta | null;
  /** The last root this device read or wrote. */
  readonly root: RootMeta | null;
  /** Every delta's writes this device has seen committed on the remote: a root must never know less. */
  readonly remoteKnown: CausalContextData;
  readonly rootRevision: string | null;
  readonly mode: CommitMode;
  /** Replicas this installation used before (a restore from backup makes it take a new one). */
  readonly retiredReplicas: string[];
  /**
   * The write counter when this state was opened, until a round confirms the remote knows no
   * more of this replica than it does. A state restored from a backup holds it: writes up to it
   * are the very writes the original made under the same dots; only later ones can collide.
   */
  readonly openedAt?: number | null;
}

export interface StoredRecord {
  readonly type: EntityType;
  readonly id: string;
  readonly ver: number;
  readonly keys: Array<[key: string, values: WireValue[]]>;
}

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
  return { type: record.type, id: record.id, ver: record.ver, keys: [...record.keys].map(([key, values]) => [key, values.map(toWireValue)]) };
}

export function loadRecord(stored: StoredRecord): EntityRecord {
  return { type: stored.type, id: stored.id, ver: stored.ver, keys: new Map(stored.keys.map(([key, values]) => [key, values.map(fromWireValue)])) };
}

/**
 * The device's replica of the synced data: entity records, causal contexts, dirty registers and
 * the view the app shows. Everything here is plain data that the engine persists through
 * `SyncPersistence`; the round (round.ts) reads and changes it.
 */
export class ReplicaState {
  readonly records = new Map<string, EntityRecord>();
  /** The app's view: merged, materialized and repaired entities by entity key. */
  readonly view = new Map<string, DomainEntity>();
  /** Materialized but not yet repaired, per record (cache for the repair pass). */
  private readonly raw = new Map<string, DomainEntity | null>();
  seen = new CausalContext();
  applied = new CausalContext();
  readonly dirty = new Map<string, Map<string, DirtyRegister>>();
  /** Bumped whenever a record may have changed (caches derived from records compare it). */
  recordsVersion = 0;

  replica: string;
  deviceName: string;
  clock: ClockState;
  counter: number;
  committedCounter: number;
  announcedCounter: number;
  gen: number;
  inflight: InflightDelta | null;
  root: RootMeta | null;
  remoteKnown: CausalContext;
  rootRevision: string | null;
  mode: CommitMode;
  retiredReplicas: string[];
  openedAt: number | null;

  constructor(book: Bookkeeping, records: StoredRecord[] = []) {
    this.replica = book.replica;
    this.deviceName = book.deviceName;
    this.clock = { ...book.clock };
    this.counter = book.counter;
    this.committedCounter = book.committedCounter;
    this.announcedCounter = book.announcedCounter ?? book.committedCounter;
    this.seen = CausalContext.from(book.seen);
    this.applied = CausalContext.from(book.applied);
    for (const [key, register, replaced, gen] of book.dirty) this.markDirty(key, register, replaced, gen);
    this.gen = book.gen;
    this.inflight = book.inflight;
    this.root = book.root;
    this.remoteKnown = CausalContext.from(book.remoteKnown);
    this.rootRevision = book.rootRevision;
    this.mode = book.mode;
    this.retiredReplicas = book.retiredReplicas;
    this.openedAt = book.openedAt ?? null;
    for (const stored of records) {
      const record = loadRecord(stored);
      const key = entityKey(record.type, record.id);
      this.records.set(key, record);
      this.raw.set(key, materialize(record));
    }
    this.refreshView();
  }

  static fresh(replica: string, deviceName: string, mode: CommitMode): ReplicaState {
    return new ReplicaState({
      replica,
      deviceName,
      clock: { wall: 0, counter: 0 },
      counter: 0,
      committedCounter: 0,
      announcedCounter: 0,
      seen: { vv: {} },
      applied: { vv: {} },
      dirty: [],
      gen: 0,
      inflight: null,
      root: null,
      remoteKnown: { vv: {} },
      rootRevision: null,
      mode,
      retiredReplicas: [],
    });
  }

  bookkeeping(): Bookkeeping {
    const dirty: Bookkeeping['dirty'] = [];
    for (const [key, registers] of this.dirty) for (const [register, state] of registers) dirty.push([key, register, state.replaced, state.gen]);
    return {
      replica: this.replica,
      deviceName: this.deviceName,
      clock: { ...this.clock },
      counter: this.counter,
      committedCounter: this.committedCounter,
      announcedCounter: this.announcedCounter,
      seen: this.seen.toData(),
      applied: this.applied.toData(),
      dirty,
      gen: this.gen,
      inflight: this.inflight,
      root: this.root,
      remoteKnown: this.remoteKnown.toData(),
      rootRevision: this.rootRevision,
      mode: this.mode,
      retiredReplicas: this.retiredReplicas,
      openedAt: this.openedAt,
    };
  }

  persistRequest(changedKeys: Iterable<string>): PersistRequest {
    const records: StoredRecord[] = [];
    for (const key of changedKeys) {
      const record = this.records.get(key);
      if (record) records.push(storeRecord(record));
    }
    return { records, book: this.bookkeeping() };
  }

  /** Whether every register of every record is dirty: a delta of the dirty set is the whole state. */
  dirtyHoldsEverything(): boolean {
    if (this.dirty.size !== this.records.size) return false;
    for (const [key, record] of this.records) {
      const dirty = this.dirty.get(key);
      if (!dirty) return false;
      for (const register of record.keys.keys()) if (!dirty.has(register)) return false;
    }
    return true;
  }

  hasDirty(): boolean {
    return this.dirty.size > 0;
  }

  markDirty(key: string, register: string, replaced: readonly Dot[], gen: number): void {
    let registers = this.dirty.get(key);
    if (!registers) this.dirty.set(key, (registers = new Map()));
    const existing = registers.get(register);
    if (existing) {
      const known = new Set(existing.replaced.map(([r, n]) => dotId(r, n)));
      for (const dot of replaced) if (!known.has(dotId(dot[0], dot[1]))) existing.replaced.push(dot);
      existing.gen = Math.max(existing.gen, gen);
    } else {
      registers.set(register, { replaced: [...replaced], gen });
    }
  }

  /**
   * Record what the user changed. Returns the entity keys whose records changed; the caller
   * persists `persistRequest(keys)` in the same transaction as the domain change.
   */
  recordLocalChanges(changes: readonly LocalChange[], now: number): string[] {
    this.recordsVersion++;
    const changed: string[] = [];
    for (const change of changes) {
      // An id other devices would refuse stays on this device rather than wedging them.
      if (!isSyncableId(change.id)) continue;
      const key = entityKey(change.type, change.id);
      const existing = this.records.get(key);
      const before = change.before !== undefined ? change.before : (this.view.get(key) ?? null);
      let writes = localWrites(change.type, existing, before, change.entity);
      const version = change.entity?.['version'];
      const newVersion = typeof version === 'number' && Number.isFinite(version) ? version : null;
      // The app bumped the version without changing a field (an edit back to the same value):
      // the version must still reach the other devices, or they would disagree on it forever.
      if (writes.length === 0 && change.entity && newVersion !== null && newVersion > (existing?.ver ?? 0)) writes = [{ key: DELETED_KEY, value: false }];
      if (change.entity) this.view.set(key, change.entity);
      else this.view.delete(key);
      if (writes.length === 0) continue;
      const record = existing ?? newRecord(change.type, change.id);
      const stamp = tick(this.clock, now);
      const gen = ++this.gen;
      for (const write of writes) {
        const replaced = (record.keys.get(write.key) ?? []).map((value): Dot => [value.r, value.n]);
        if (write.value === undefined) {
          record.keys.delete(write.key);
        } else {
          const dot: Dot = [this.replica, ++this.counter];
          record.keys.set(write.key, [{ v: write.value, r: this.replica, n: this.counter, t: stamp }]);
          this.seen.add(dot);
          this.applied.add(dot);
        }
        this.markDirty(key, write.key, replaced, gen);
      }
      record.ver = Math.max(record.ver, newVersion ?? record.ver + 1);
      this.records.set(key, record);
      this.raw.set(key, materialize(record));
      changed.push(key);
    }
    return changed;
  }

  /**
   * Take in entities the app holds but the sync has no record of (data from before sync was set
   * up, or sync stores that were lost) as the old data they are: every field stamped with the
   * entity's own `lastModifiedAt` (or `created`), and no "alive" write, so a newer remote value
   * wins and a delete another device made stays a delete. New dots, so the data still syncs.
   */
  adoptUntracked(changes: readonly LocalChange[], now: number): string[] {
    this.recordsVersion++;
    const adopted: string[] = [];
    for (const change of changes) {
      const key = entityKey(change.type, change.id);
      if (!change.entity || this.records.has(key) || !isSyncableId(change.id)) continue;
      const writes = localWrites(change.type, undefined, null, change.entity).filter((write) => write.key !== DELETED_KEY && write.value !== undefined);
      const when = Number(change.entity['lastModifiedAt'] ?? change.entity['created'] ?? 0);
      const stamp = encodeStamp(Number.isFinite(when) && when > 0 ? Math.min(Math.floor(when), now) : 0, 0);
      const record = newRecord(change.type, change.id);
      const gen = ++this.gen;
      for (const write of writes) {
        const dot: Dot = [this.replica, ++this.counter];
        record.keys.set(write.key, [{ v: write.value as Json, r: this.replica, n: this.counter, t: stamp }]);
        this.seen.add(dot);
        this.applied.add(dot);
        this.markDirty(key, write.key, [], gen);
      }
      const version = change.entity['version'];
      record.ver = typeof version === 'number' && Number.isFinite(version) ? version : 1;
      this.records.set(key, record);
      this.raw.set(key, materialize(record));
      this.view.set(key, change.entity);
      adopted.push(key);
    }
    return adopted;
  }

  /** Rebuild the view from the records (repair included) and say what changed for the app. */
  refreshView(touched?: Iterable<string>): ViewChanges {
    this.recordsVersion++;
    for (const key of touched ?? []) {
      const record = this.records.get(key);
      this.raw.set(key, record ? materialize(record) : null);
    }
    const byType = Object.fromEntries(ENTITY_TYPES.map((type) => [type, new Map<string, DomainEntity>()])) as EntitiesByType;
    for (const [key, entity] of this.raw) {
      if (!entity) continue;
      byType[splitEntityKey(key).type].set(entity.id, entity);
    }
    const repaired = repairReferences(byType);
    const upserted: ViewChanges['upserted'] = [];
    const removed: ViewChanges['removed'] = [];
    const alive = new Set<string>();
    for (const type of ENTITY_TYPES) {
      for (const entity of repaired[type].values()) {
        const key = entityKey(type, entity.id);
        alive.add(key);
        const before = this.view.get(key);
        if (!before || !sameEntity(before, entity)) {
          this.view.set(key, entity);
          upserted.push({ type, entity });
        }
      }
    }
    for (const key of [...this.view.keys()]) {
      if (!alive.has(key)) {
        this.view.delete(key);
        const { type, id } = splitEntityKey(key);
        removed.push({ type, id });
      }
    }
    return { upserted, removed };
  }

  /**
   * Take a new replica id: after a restore from an old backup (or a copied profile) the remote
   * knows writes of ours beyond our last known commit, so our counters above it may be taken.
   * Writes up to the counter the state was opened with are the original's own writes under the
   * same dots (a backup holds what its device had written): they keep their dots, so a delete
   * that replaced one of them still replaces it. Every later value gets a new dot, and we forget
   * having seen that range, so the remote's own writes from it are merged in rather than
   * mistaken for ours.
   */
  rotateReplica(newReplica: string): string[] {
    this.recordsVersion++;
    const old = this.replica;
    const safe = Math.max(this.committedCounter, this.announcedCounter, Math.min(this.openedAt ?? this.committedCounter, this.counter));
    const mine = (r: string, n: number) => r === old && n > safe;
    this.retiredReplicas = [...this.retiredReplicas, old];
    this.replica = newReplica;
    this.counter = 0;
    this.committedCounter = 0;
    this.announcedCounter = 0;
    this.seen.truncate(old, safe);
    this.applied.truncate(old, safe);
    const changed: string[] = [];
    for (const [key, record] of this.records) {
      let touched = false;
      for (const [register, values] of record.keys) {
        if (!values.some((value) => mine(value.r, value.n))) continue;
        touched = true;
        record.keys.set(
          register,
          values.map((value) => {
            if (!mine(value.r, value.n)) return value;
            const dot: Dot = [newReplica, ++this.counter];
            this.seen.add(dot);
            this.applied.add(dot);
            this.markDirty(key, register, [], ++this.gen);
            return { ...value, r: newReplica, n: this.counter };
          }),
        );
      }
      if (touched) changed.push(key);
    }
    for (const registers of this.dirty.values()) {
      for (const info of registers.values()) info.replaced = info.replaced.filter(([r, n]) => !mine(r, n));
    }
    return changed;
  }

  observeStamp(stamp: string): void {
    observe(this.clock, stamp);
  }
}

/** Field-wise equality of two domain entities (arrays and objects compared by content). */
export function sameEntity(a: DomainEntity, b: DomainEntity): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/**
 * A merge in progress: records are copied on first change, so a round can inspect the outcome
 * (mass-delete check, dry run) before anything is committed to the state.
 */
export class MergeSession {
  readonly touched = new Map<string, EntityRecord>();
  readonly seen: CausalContext;
  readonly applied: CausalContext;
  /** Registers that gained a sibling from another device in this merge. */
  newConflicts = 0;
  maxStamp = '';

  constructor(private readonly state: ReplicaState) {
    this.seen = state.seen.clone();
    this.applied = state.applied.clone();
  }

  private record(type: EntityType, id: string): EntityRecord {
    const key = entityKey(type, id);
    let record = this.touched.get(key);
    if (!record) {
      const existing = this.state.records.get(key);
      record = existing ? cloneRecord(existing) : newRecord(type, id);
      this.touched.set(key, record);
    }
    return record;
  }

  private current(type: EntityType, id: string): EntityRecord | undefined {
    const key = entityKey(type, id);
    return this.touched.get(key) ?? this.state.records.get(key);
  }

  applyDelta(delta: ParsedDelta): void {
    const before = this.seen.clone();
    for (const entity of delta.entities) {
      const existing = this.current(entity.type, entity.id);
      let record: EntityRecord | undefined;
      for (const change of entity.changes) {
        for (const value of change.values) if (value.t > this.maxStamp) this.maxStamp = value.t;
        const target = existing ?? newRecord(entity.type, entity.id);
        const hadConflict = (target.keys.get(change.key)?.length ?? 0) > 1;
        // Copy the record only when this change really changes it.
        const probe = applyRegisterChange(cloneShallow(target, change.key), change.key, change, before);
        if (!probe) continue;
        record ??= this.record(entity.type, entity.id);
        applyRegisterChange(record, change.key, change, before);
        if (!hadConflict && (record.keys.get(change.key)?.length ?? 0) > 1 && change.key !== DELETED_KEY) this.newConflicts++;
      }
      if (entity.ver > (existing?.ver ?? 0)) (record ??= this.record(entity.type, entity.id)).ver = entity.ver;
    }
    for (const entity of delta.entities) {
      for (const change of entity.changes) {
        for (const value of change.values) this.seen.add([value.r, value.n]);
        for (const dot of change.replaced) this.seen.add(dot);
      }
    }
    try {
      for (const [from, to] of delta.dots) this.applied.addRange(delta.replica, from, to);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new SyncError('invalid-remote-data', `A change file of ${delta.replica} on the server claims impossible writes (${error.message}). Nothing was applied.`, { cause: error });
    }
  }

  applySnapshot(snapshot: ParsedSnapshot): void {
    const theirs = CausalContext.from(snapshot.seen);
    const mine = this.seen.clone();
    const inSnapshot = new Set<string>();
    for (const entity of snapshot.entities) {
      const key = entityKey(entity.type, entity.id);
      inSnapshot.add(key);
      const existing = this.current(entity.type, entity.id);
      const incoming = new Map(entity.keys);
      const keys = new Set([...incoming.keys(), ...(existing?.keys.keys() ?? [])]);
      let record: EntityRecord | undefined;
      for (const register of keys) {
        const local = existing?.keys.get(register) ?? [];
        const remote = incoming.get(register) ?? [];
        for (const value of remote) if (value.t > this.maxStamp) this.maxStamp = value.t;
        const joined = joinRegister(local, (dot) => mine.has(dot), remote, (dot) => theirs.has(dot));
        if (sameRegister(local, joined)) continue;
        record ??= this.record(entity.type, entity.id);
        if (joined.length) record.keys.set(register, joined);
        else record.keys.delete(register);
      }
      if (entity.ver > (existing?.ver ?? 0)) (record ??= this.record(entity.type, entity.id)).ver = entity.ver;
    }
    // Records the snapshot does not name: drop values its writer saw and no longer holds.
    for (const [key, existing] of this.state.records) {
      if (inSnapshot.has(key)) continue;
      const current = this.touched.get(key) ?? existing;
      let record: EntityRecord | undefined;
      for (const [register, values] of current.keys) {
        const kept = values.filter((value) => !theirs.has([value.r, value.n]));
        if (kept.length === values.length) continue;
        record ??= this.record(current.type, current.id);
        if (kept.length) record.keys.set(register, kept);
        else record.keys.delete(register);
      }
    }
    this.seen.addAll(theirs);
    this.applied.addAll(CausalContext.from(snapshot.applied));
  }

  /** Move the merged records into the state; returns the changed entity keys. */
  commit(): string[] {
    this.state.recordsVersion++;
    for (const [key, record] of this.touched) this.state.records.set(key, record);
    this.state.seen = this.seen;
    this.state.applied = this.applied;
    if (this.maxStamp) this.state.observeStamp(this.maxStamp);
    return [...this.touched.keys()];
  }

  /** The entities this merge would change, as the app would see them. */
  preview(): Array<{ key: string; before: DomainEntity | null; after: DomainEntity | null }> {
    return [...this.touched].map(([key, record]) => ({ key, before: this.state.view.get(key) ?? null, after: materialize(record) }));
  }
}

function cloneShallow(record: EntityRecord, key: string): EntityRecord {
  const copy = newRecord(record.type, record.id);
  const values = record.keys.get(key);
  if (values) copy.keys.set(key, values);
  return copy;
}

