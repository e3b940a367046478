import { CausalContext, Dot } from '../crdt/causal-context';
import { ClockState, encodeStamp, observe, tick } from '../crdt/clock';
import { Json } from '../crdt/json';
import { DELETED_KEY, EntityRecord, dotId, newRecord } from '../crdt/entity-record';
import { lineage, replacedBy } from '../crdt/lineage';
import { localWrites } from '../crdt/local-writes';
import { RootMeta } from '../remote/remote-format';
import { CommitMode } from '../remote/remote-store';
import { DomainEntity, entityKey, isSyncableId } from '../crdt/schema';
import { Bookkeeping, DirtyRegister, InflightDelta, LocalChange, PersistRequest, StoredRecord, ViewChanges, loadDirty, loadRecord, storeRecord } from './persisted';
import { startSession } from './session';
import { DerivedView } from './derived-view';

export * from './persisted';
export { MergeSession } from './merge-session';
export { sameEntity } from './derived-view';

/**
 * The device's replica of the synced data: entity records, causal contexts, dirty registers and
 * the view the app shows. Everything here is plain data that the engine persists through
 * `SyncPersistence`; the round (round.ts) reads and changes it.
 */
export class ReplicaState {
  readonly records = new Map<string, EntityRecord>();
  /** The app's view: merged, materialized and repaired entities by entity key. */
  readonly view = new Map<string, DomainEntity>();
  /** Materialized entities and open conflicts, kept up to date record by record. */
  private readonly derived = new DerivedView();
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
  gen: number;
  inflight: InflightDelta | null;
  root: RootMeta | null;
  remoteKnown: CausalContext;
  rootRevision: string | null;
  mode: CommitMode;
  retiredReplicas: string[];
  /** Which remote `root` and `rootRevision` came from (SyncEngine.configure). */
  remote: string | null;

  constructor(book: Bookkeeping, records: StoredRecord[] = []) {
    this.replica = book.replica;
    this.deviceName = book.deviceName;
    this.clock = { ...book.clock };
    this.counter = book.counter;
    this.committedCounter = book.committedCounter;
    this.seen = CausalContext.from(book.seen);
    this.applied = CausalContext.from(book.applied);
    this.gen = book.gen;
    this.inflight = book.inflight;
    this.root = book.root;
    this.remoteKnown = CausalContext.from(book.remoteKnown);
    this.rootRevision = book.rootRevision;
    this.mode = book.mode;
    this.retiredReplicas = book.retiredReplicas;
    this.remote = book.remote ?? null;
    for (const stored of records) {
      const record = loadRecord(stored);
      const key = entityKey(record.type, record.id);
      this.records.set(key, record);
      this.derived.note(key, record);
      for (const [register, replaced, gen] of loadDirty(stored.dirty)) this.markDirty(key, register, replaced, gen);
    }
    this.dirtyChanged.clear();
    // A state from before unsent registers were stored with their records: its next save moves them there.
    for (const [key, register, replaced, gen] of book.dirty ?? []) this.markDirty(key, register, replaced, gen);
    this.refreshView();
  }

  static fresh(replica: string, deviceName: string, mode: CommitMode): ReplicaState {
    return new ReplicaState({
      replica,
      deviceName,
      clock: { wall: 0, counter: 0 },
      counter: 0,
      committedCounter: 0,
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
    return {
      replica: this.replica,
      deviceName: this.deviceName,
      clock: { ...this.clock },
      counter: this.counter,
      committedCounter: this.committedCounter,
      seen: this.seen.toData(),
      applied: this.applied.toData(),
      dirty: [],
      gen: this.gen,
      inflight: this.inflight,
      root: this.root,
      remoteKnown: this.remoteKnown.toData(),
      rootRevision: this.rootRevision,
      mode: this.mode,
      retiredReplicas: this.retiredReplicas,
      remote: this.remote,
    };
  }

  /**
   * What to save: the given records, those whose unsent registers changed since the last request
   * (each stored with its unsent registers), and the bookkeeping, whose size does not grow with
   * the number of unsent edits.
   */
  persistRequest(changedKeys: Iterable<string>): PersistRequest {
    const records: StoredRecord[] = [];
    for (const key of new Set([...changedKeys, ...this.dirtyChanged])) {
      const record = this.records.get(key);
      if (!record) continue;
      const dirty = this.dirty.get(key);
      const stored = storeRecord(record);
      records.push(dirty ? { ...stored, dirty: [...dirty].map(([register, info]) => [register, [...info.replaced], info.gen]) } : stored);
    }
    this.dirtyChanged.clear();
    return { records, book: this.bookkeeping() };
  }

  /** Records whose unsent registers changed since the last persist request. */
  private readonly dirtyChanged = new Set<string>();

  /** A commit carried this register as it was at `gen`: it is clean unless written again since. */
  markClean(key: string, register: string, gen: number): void {
    const registers = this.dirty.get(key);
    const info = registers?.get(register);
    if (!registers || !info || info.gen !== gen) return;
    registers.delete(register);
    if (registers.size === 0) this.dirty.delete(key);
    this.dirtyChanged.add(key);
  }

  /** Every unsent register's list was changed in place (a new opening, session.ts). */
  touchAllDirty(): void {
    for (const key of this.dirty.keys()) this.dirtyChanged.add(key);
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

  /**
   * Note a register changed locally and the dots its write replaced. Writes of this opening not
   * yet sent are left out: the commit claims all of them (commit.ts), so readers see them, and
   * count a writer's earlier values as replaced (the writer's range); many edits of one field keep
   * the list as short as one. (Should the writes go up under a later opening's id, session.ts
   * lists them then.)
   */
  markDirty(key: string, register: string, replaced: readonly Dot[], gen: number): void {
    let registers = this.dirty.get(key);
    if (!registers) this.dirty.set(key, (registers = new Map()));
    this.dirtyChanged.add(key);
    const existing = registers.get(register);
    const theirs = replaced.filter(([replica, counter]) => replica !== this.replica || counter <= this.committedCounter);
    if (existing) {
      const known = new Set(existing.replaced.map(([r, n]) => dotId(r, n)));
      for (const dot of theirs) if (!known.has(dotId(dot[0], dot[1]))) existing.replaced.push(dot);
      existing.gen = Math.max(existing.gen, gen);
    } else {
      registers.set(register, { replaced: theirs, gen });
    }
  }

  /**
   * Record what the user changed. Returns the entity keys whose records changed; the caller
   * persists `persistRequest(keys)` in the same transaction as the domain change.
   */
  recordLocalChanges(changes: readonly LocalChange[], now: number, staleBase?: string[]): string[] {
    this.recordsVersion++;
    const changed: string[] = [];
    for (const change of changes) {
      // An id other devices would refuse stays on this device rather than wedging them.
      if (!isSyncableId(change.id)) continue;
      const key = entityKey(change.type, change.id);
      const existing = this.records.get(key);
      const shown = this.view.get(key) ?? null;
      const before = change.before !== undefined ? change.before : shown;
      // An edit of a copy older than the merged one: only its changed fields are writes; the view comes from the records.
      if (staleBase && shown !== before && JSON.stringify(shown) !== JSON.stringify(before)) staleBase.push(key);
      let writes = localWrites(change.type, existing, before, change.entity);
      const version = change.entity?.['version'];
      const newVersion = typeof version === 'number' && Number.isFinite(version) ? version : null;
      // The app bumped the version without changing a field (an edit back to the same value):
      // the version must still reach the other devices, or they would disagree on it forever.
      if (writes.length === 0 && change.entity && newVersion !== null && newVersion > (existing?.ver ?? 0)) writes = [{ key: DELETED_KEY, value: false }];
      // Nothing to write: the view stays what the records give. (The app's copy can differ only in
      // what the records decide, such as a version a merge raised; the view must not keep it, as
      // nothing would bring it back while the record stays as it is.)
      if (writes.length === 0) continue;
      if (change.entity) this.view.set(key, change.entity);
      else this.view.delete(key);
      const record = existing ?? newRecord(change.type, change.id);
      const stamp = tick(this.clock, now);
      const gen = ++this.gen;
      for (const write of writes) {
        const values = record.keys.get(write.key) ?? [];
        if (write.value === undefined) {
          record.keys.delete(write.key);
        } else {
          const dot: Dot = [this.replica, ++this.counter];
          const p = lineage(values, this.replica);
          record.keys.set(write.key, [{ v: write.value, r: this.replica, n: this.counter, t: stamp, ...(p ? { p } : {}) }]);
          this.seen.add(dot);
          this.applied.add(dot);
        }
        this.markDirty(key, write.key, replacedBy(values), gen);
      }
      record.ver = Math.max(record.ver, newVersion ?? record.ver + 1);
      this.records.set(key, record);
      this.derived.note(key, record);
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
      this.derived.note(key, record);
      this.view.set(key, change.entity);
      adopted.push(key);
    }
    return adopted;
  }

  /** Bring the view to the records (repair included) and say what changed for the app. */
  refreshView(touched?: Iterable<string>): ViewChanges {
    this.recordsVersion++;
    for (const key of touched ?? []) this.derived.note(key, this.records.get(key));
    return this.derived.refresh(this.view);
  }

  /** Keys of records with an open conflict. */
  get conflictedKeys(): ReadonlySet<string> {
    return this.derived.conflicted;
  }

  /** Opened from storage: this opening writes under an id of its own (see session.ts). */
  startSession(nonce: string): void {
    startSession(this, nonce);
  }

  observeStamp(stamp: string): void {
    observe(this.clock, stamp);
  }
}
