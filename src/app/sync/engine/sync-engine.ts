import { CausalContext, Dot } from './causal-context';
import { decodeStamp, tick } from './clock';
import { decodeRemoteJson, gzip, jsonBytes, parseJsonBytes } from './codec';
import { isEncrypted } from './encryption';
import { DELETED_KEY, isConflicted, isDeleted, winner } from './entity-record';
import { legacyDelta } from './legacy-import';
import { MeteredStore, inParallel } from './metered-store';
import {
  DeltaFile,
  DeltaRef,
  DotRanges,
  FORMAT_VERSION,
  LEGACY_PATH,
  LOCK_PATH,
  META_PATH,
  ParsedDelta,
  ParsedSnapshot,
  RootMeta,
  SnapshotFile,
  WireSnapshotEntity,
  dotsToRanges,
  parseDelta,
  parseRoot,
  parseSnapshot,
  toWireValue,
} from './remote-format';
import { CommitMode, RemoteStore } from './remote-store';
import { findUnnamedFiles, UnnamedFile } from './unnamed-files';
import { LocalChange, MergeSession, PersistRequest, ReplicaState, SyncPersistence, ViewChanges } from './replica-state';
import { DomainEntity, ENTITY_TYPES, EntityType, entityKey, splitEntityKey } from './schema';
import { SyncError, isSyncError } from './sync-error';
import { parseRegisterKey } from './materialize';

export interface SyncEngineOptions {
  readonly store: RemoteStore;
  readonly persistence: SyncPersistence;
  /** Shown to other devices in the settings page. */
  readonly deviceName?: string;
  /** The id a fresh replica takes (the app passes its device id, so lastModifiedBy agrees); random otherwise. */
  readonly replicaId?: string;
  /** The probe's verdict; kept in the bookkeeping once set. */
  readonly mode?: CommitMode;
  readonly now?: () => number;
  /**
   * This device's own elapsed time, never compared with another device's: lock leases and grace
   * periods are measured on it. Defaults to `performance.now()`, which wall-clock jumps do not move.
   */
  readonly monotonic?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxParallel?: number;
  readonly maxAttempts?: number;
  /** Compact when the root lists this many deltas. */
  readonly compactAfterDeltas?: number;
  /** Compact when the listed deltas add up to this many bytes. */
  readonly compactAfterBytes?: number;
  /** Compact when meta.json has grown to this many bytes. */
  readonly compactAfterRootBytes?: number;
  /** How long replaced files stay on the remote for devices that are mid-round. */
  readonly graceMs?: number;
  readonly lockTtlMs?: number;
  /** How often (this device's own time) it lists deltas/ for commits no root names; see unnamed-files.ts. */
  readonly unnamedScanMs?: number;
  /**
   * How delta and snapshot files are packed: gzip unless told. The simulation packs nothing, so
   * that a run replays exactly (the platform's gzip resolves on another thread's timing).
   */
  readonly pack?: (bytes: Uint8Array) => Promise<Uint8Array>;
  /** Told how many of the round's files have arrived, when there is more than one to fetch. */
  readonly onProgress?: (done: number, total: number) => void;
  /** SYNC.md §1.7: a sync deleting more than `max` entities, or more than half (and at least `floor`), asks first. */
  readonly massDelete?: { readonly max: number; readonly floor: number };
}

export type EntityCounts = Record<EntityType, number>;

export interface SyncOptions {
  /** The user confirmed the mass delete the previous round asked about. */
  readonly confirmMassDelete?: boolean;
  /** Rewrite the remote as one fresh snapshot and delete every older file right away. */
  readonly rewrite?: boolean;
}

export interface RoundResult {
  readonly status: 'synced' | 'up-to-date' | 'needs-confirmation';
  /** Entities whose shown state changed because of other devices' data, per type. */
  readonly received: EntityCounts;
  /** Entities this device uploaded, per type. */
  readonly sent: EntityCounts;
  /** What the app must apply to its store. */
  readonly changes: ViewChanges;
  /** Registers that gained a concurrent sibling in this round. */
  readonly newConflicts: number;
  readonly openConflicts: number;
  readonly requests: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly compacted: boolean;
  readonly mode: CommitMode;
  /** Set with status 'needs-confirmation': nothing was applied or sent. */
  readonly massDelete?: { readonly incoming: number; readonly outgoing: number; readonly entities: number };
}

export interface ConflictInfo {
  readonly type: EntityType;
  readonly id: string;
  readonly title: string;
  /** The field in conflict (`title`, `timeSpentOnDay/2024-05-01`, or `_del` for delete vs edit). */
  readonly field: string;
  readonly shown: ConflictValue;
  readonly others: ConflictValue[];
}

export interface ConflictValue {
  readonly value: unknown;
  readonly device: string;
  readonly at: number;
  /** Opaque: identifies this value when resolving (its clock stamp, device and write counter). */
  readonly stamp: string;
}

export interface DryRunEntry {
  readonly type: EntityType;
  readonly id: string;
  readonly title: string;
  readonly change: 'create' | 'update' | 'delete';
  readonly fields: string[];
}

export interface DryRunResult {
  readonly receive: DryRunEntry[];
  readonly send: DryRunEntry[];
  readonly requests: number;
  readonly bytesReceived: number;
}

export interface DeviceSeen {
  readonly replica: string;
  readonly name: string;
  readonly lastSyncAt: number;
  readonly isThisDevice: boolean;
}

class Restart extends Error {
  constructor(
    readonly why: string,
    readonly needLock = false,
    /** A file the root named that the server did not have, and which root (by commitId) named it. */
    readonly missing?: { readonly file: string; readonly commitId: string },
  ) {
    super(why);
  }
}

const MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * One device's sync: local changes in, rounds against the remote out. Plain TypeScript: it runs
 * in the browser behind the NgRx glue, and in Node under the simulation and the benchmarks.
 */
export class SyncEngine {
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private readonly random: () => number;
  private readonly pack: (bytes: Uint8Array) => Promise<Uint8Array>;
  private readonly sleep: (ms: number) => Promise<void>;
  private running: Promise<unknown> = Promise.resolve();
  /** When this device last read (or wrote) the root; not persisted, so a restart reads first. */
  private rootCheckedAt: number | null = null;
  /** Another device's lock as this device first saw it, on this device's own clock (SYNC.md §1: no clock is trusted across devices). */
  private lockSeen: { readonly token: string; readonly since: number } | null = null;
  /** When this device wrote the lock it holds, on its own clock. */
  private lockTakenAt = 0;
  /** Grave files of the root, with when this device first saw each listed (its own clock). */
  private readonly graveSeen = new Map<string, number>();
  /** The last listing of deltas/ for unnamed commits (own clock), and what it left to do. */
  private lastUnnamedScan: number;
  private unnamedPending = false;
  /** Unnamed files already dealt with (unreadable, or in a graveyard this device wrote). */
  private readonly settledUnnamed = new Set<string>();
  /** Unnamed files whose writes the root knows: the next commit puts them in the graveyard. */
  private readonly unnamedGarbage = new Set<string>();
  /** Files the root names that the server does not have (see round()): skipped, and healed by a snapshot. */
  private readonly lostFiles = new Set<string>();
  /** View changes already persisted (a replica rotation) that the app has not been handed yet. */
  private pendingView: ViewChanges | null = null;

  private constructor(
    private readonly options: SyncEngineOptions,
    readonly state: ReplicaState,
  ) {
    this.now = options.now ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
    // The first listing comes one interval after opening: a short-lived session costs nothing extra.
    this.lastUnnamedScan = this.monotonic();
    this.random = options.random ?? Math.random;
    this.pack = options.pack ?? gzip;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Load the persisted state, or start a new replica with a fresh id. */
  static async open(options: SyncEngineOptions): Promise<SyncEngine> {
    const persisted = await options.persistence.load();
    const random = options.random ?? Math.random;
    const state = persisted
      ? new ReplicaState(persisted.book, persisted.records)
      : ReplicaState.fresh(options.replicaId && /^[A-Za-z0-9._-]{1,128}$/.test(options.replicaId) ? options.replicaId : newId(random, 10), options.deviceName ?? 'This device', options.mode ?? 'compare-and-swap');
    if (options.mode) state.mode = options.mode;
    if (options.deviceName) state.deviceName = options.deviceName;
    if (persisted && state.openedAt === null) {
      // Until a round shows the remote knows no more of us, this may be a restored backup.
      state.openedAt = state.counter;
      await options.persistence.save(state.persistRequest([]));
    }
    return new SyncEngine(options, state);
  }

  /** Settings that change while the app runs: the probe's verdict for a newly connected remote, the device's name. */
  configure(settings: { mode?: CommitMode; deviceName?: string }): void {
    if (settings.mode) this.state.mode = settings.mode;
    if (settings.deviceName) this.state.deviceName = settings.deviceName;
  }

  get replica(): string {
    return this.state.replica;
  }

  get mode(): CommitMode {
    return this.state.mode;
  }

  /** The entities as the app shows them. */
  entities(type: EntityType): DomainEntity[] {
    const result: DomainEntity[] = [];
    for (const [key, entity] of this.state.view) if (splitEntityKey(key).type === type) result.push(entity);
    return result;
  }

  entity(type: EntityType, id: string): DomainEntity | undefined {
    return this.state.view.get(entityKey(type, id));
  }

  /** Whether the sync holds a record of the entity (shown, or deleted). */
  hasRecord(type: EntityType, id: string): boolean {
    return this.state.records.has(entityKey(type, id));
  }

  hasUnsyncedChanges(): boolean {
    return this.state.hasDirty();
  }

  /**
   * Record local changes. The returned request must be persisted in the same transaction as
   * the domain change (or passed to `persist`).
   */
  recordLocalChanges(changes: readonly LocalChange[]): PersistRequest {
    const changed = this.state.recordLocalChanges(changes, this.now());
    return this.state.persistRequest(changed);
  }

  /**
   * Entities the app holds that the sync has no record of, taken in as old data (see
   * ReplicaState.adoptUntracked). Persist the returned request like recordLocalChanges'.
   */
  adoptUntracked(changes: readonly LocalChange[]): PersistRequest {
    return this.state.persistRequest(this.state.adoptUntracked(changes, this.now()));
  }

  persist(request: PersistRequest): Promise<void> {
    return this.options.persistence.save(request);
  }

  /** Record and persist in one step (for callers without their own transaction). */
  async applyLocalChanges(changes: readonly LocalChange[]): Promise<void> {
    await this.persist(this.recordLocalChanges(changes));
  }

  /** One sync round; rounds never overlap. */
  /**
   * `rewrite`: write the whole state as one new snapshot and delete every older file at once,
   * e.g. after turning end-to-end encryption on or off, so no file in the old form remains.
   */
  sync(options: SyncOptions = {}): Promise<RoundResult> {
    const round = this.running.then(() => this.round(options));
    this.running = round.catch(() => undefined);
    return round;
  }

  /** Open conflicts, recomputed only when records changed since the last call. */
  conflicts(): ConflictInfo[] {
    const version = this.state.recordsVersion;
    if (this.conflictCache?.version !== version) this.conflictCache = { version, conflicts: this.findConflicts() };
    return this.conflictCache.conflicts;
  }

  private conflictCache: { version: number; conflicts: ConflictInfo[] } | null = null;
  /** Entity keys the last merge changed: what "received" counts. */
  private lastIncomingKeys: string[] = [];

  private findConflicts(): ConflictInfo[] {
    const result: ConflictInfo[] = [];
    for (const [key, record] of this.state.records) {
      for (const [register, values] of record.keys) {
        if (!isConflicted(values)) continue;
        if (parseRegisterKey(record.type, register).kind === 'ordered-ids') continue;
        // Shown first: the value in effect. For delete vs edit that is "alive" (the edit wins),
        // so keeping what is shown never deletes what the person sees.
        const inEffect = (value: { v: unknown }) => (register === DELETED_KEY && value.v === false ? 1 : 0);
        const [shown, ...others] = [...values].sort((a, b) => inEffect(b) - inEffect(a) || (a.t === b.t ? (a.r < b.r ? 1 : -1) : a.t < b.t ? 1 : -1));
        const entity = this.state.view.get(key);
        result.push({
          type: record.type,
          id: record.id,
          title: String(entity?.['title'] ?? (record.type === 'metric' ? record.id : winner(record.keys.get('title') ?? [])?.v ?? record.id)),
          field: register,
          shown: conflictValue(shown),
          others: others.map(conflictValue),
        });
      }
    }
    return result.sort((a, b) => compareText(a.type, b.type) || compareText(a.id, b.id) || compareText(a.field, b.field));
  }

  /**
   * Resolve a conflict: write the chosen value (the shown one to keep it, another to use that)
   * as a new edit that replaces every sibling, so it syncs and the conflict closes everywhere.
   */
  async resolveConflict(type: EntityType, id: string, field: string, chosenStamp: string): Promise<ViewChanges> {
    const key = entityKey(type, id);
    const record = this.state.records.get(key);
    const values = record?.keys.get(field);
    const chosen = values?.find((value) => valueToken(value) === chosenStamp);
    if (!record || !values || !chosen) throw new Error(`No conflict on ${type} ${id} ${field} with that value.`);
    const stamp = tick(this.state.clock, this.now());
    const gen = ++this.state.gen;
    const dot: Dot = [this.state.replica, ++this.state.counter];
    this.state.markDirty(key, field, values.map((value): Dot => [value.r, value.n]), gen);
    record.keys.set(field, [{ v: chosen.v, r: dot[0], n: dot[1], t: stamp }]);
    this.state.seen.add(dot);
    this.state.applied.add(dot);
    const changes = this.state.refreshView([key]);
    await this.persist({ ...this.state.persistRequest([key]), view: changes });
    return changes;
  }

  /** Devices that have committed to this remote, from the last root read. */
  devices(): DeviceSeen[] {
    const root = this.state.root;
    if (!root) return [];
    return Object.entries(root.devices)
      .map(([replica, info]) => ({ replica, name: info.name, lastSyncAt: info.lastSyncAt, isThisDevice: replica === this.state.replica }))
      .sort((a, b) => b.lastSyncAt - a.lastSyncAt);
  }

  /** The plan's Phase 1: what the next round would receive and send, without writing anything. */
  async dryRun(): Promise<DryRunResult> {
    const meter = new MeteredStore(this.options.store);
    const read = await meter.read(META_PATH);
    const root = read.status === 'ok' ? parseRoot(await decode(read.data, META_PATH)) : null;
    const session = new MergeSession(this.state);
    if (root) {
      const incoming = await this.fetchIncoming(meter, root);
      if (incoming.snapshot) session.applySnapshot(incoming.snapshot);
      for (const delta of incoming.deltas) session.applyDelta(delta);
    } else {
      const legacy = await this.readLegacy(meter);
      if (legacy) session.applyDelta(legacy);
    }
    const receive: DryRunEntry[] = [];
    for (const { key, before, after } of session.preview()) {
      if (before === null && after === null) continue;
      const { type, id } = splitEntityKey(key);
      const fields = changedFields(before, after);
      if (before !== null && after !== null && fields.length === 0) continue;
      receive.push({ type, id, title: titleOf(after ?? before, id), change: before === null ? 'create' : after === null ? 'delete' : 'update', fields });
    }
    const send: DryRunEntry[] = [];
    for (const [key, registers] of this.state.dirty) {
      const { type, id } = splitEntityKey(key);
      const record = this.state.records.get(key);
      const deleted = record ? isDeleted(record) : true;
      const fields = [...new Set([...registers.keys()].filter((register) => register !== DELETED_KEY).map((register) => parseRegisterKey(type, register).field))];
      const created = !this.state.root || !record || [...record.keys.values()].every((values) => values.every((value) => value.r === this.state.replica));
      send.push({ type, id, title: titleOf(this.state.view.get(key) ?? null, id), change: deleted ? 'delete' : created && registers.has(DELETED_KEY) && fields.length > 0 && registers.size > 2 ? 'create' : 'update', fields });
    }
    return { receive, send, requests: meter.requests, bytesReceived: meter.bytesReceived };
  }

  // -------------------------------------------------------------------------------------------
  // The round (SYNC.md §4)

  private async round(options: SyncOptions): Promise<RoundResult> {
    const meter = new MeteredStore(this.options.store);
    const maxAttempts = this.options.maxAttempts ?? 6;
    let needLock = false;
    let forceRead = false;
    const missedOnce = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      let lock: string | null = null;
      try {
        if (this.state.mode === 'lock' && (needLock || options.rewrite || this.state.hasDirty())) lock = await this.acquireLock(meter);
        const result = await this.attempt(meter, options, { optimistic: attempt === 0 && !forceRead, lock });
        if (lock) await this.releaseLock(meter, lock);
        return result;
      } catch (error) {
        if (lock) await this.releaseLock(meter, lock).catch(() => undefined);
        // A round that failed may have read a root it never adopted: the next one reads again.
        this.rootCheckedAt = null;
        if (!(error instanceof Restart)) throw error;
        // Missing once may be a compaction racing us; missing again under the very same root is a
        // file the server never stored (or lost): the root is healed by a snapshot without it.
        if (error.missing) {
          const key = `${error.missing.file}|${error.missing.commitId}`;
          if (missedOnce.has(key)) {
            // Only a device holding everything could replace a snapshot; this one says so and reads again next time.
            if (error.missing.file.startsWith('snapshots/')) {
              throw new SyncError(
                'server',
                `The server does not have the snapshot the sync index names (${error.missing.file}). A device that holds all the data replaces it when it syncs; nothing was changed here.`,
                { path: error.missing.file },
              );
            }
            this.lostFiles.add(error.missing.file);
          }
          missedOnce.add(key);
        }
        needLock = needLock || error.needLock;
        forceRead = true;
        if (attempt + 1 >= maxAttempts) {
          throw new SyncError('too-much-contention', `Other devices kept changing the sync folder at the same time (${error.why}). The next sync tries again.`);
        }
        if (!error.needLock) await this.sleep(Math.round((50 << Math.min(attempt, 6)) * (0.5 + this.random())));
      }
    }
  }

  private async attempt(meter: MeteredStore, options: SyncOptions, how: { optimistic: boolean; lock: string | null }): Promise<RoundResult> {
    const locked = how.lock !== null;
    const state = this.state;
    const cas = state.mode === 'compare-and-swap';

    // 1. The root: conditional read, or none at all when we hold the current ETag and commit optimistically.
    let root: RootMeta | null;
    let revision: string | null;
    let freshRead = true;
    // When this root was read: it counts as fresh only once it is adopted below, never before.
    let readAt = this.rootCheckedAt;
    // The root this device knew, when the folder has since been emptied: a new root continues it.
    let reseedFrom: RootMeta | null = null;
    // Optimism is bounded in time: a root read long ago may name files compaction has since removed.
    const recentlyChecked = this.rootCheckedAt !== null && this.now() - this.rootCheckedAt < this.graceMs() / 4;
    if (how.optimistic && cas && recentlyChecked && state.root && state.rootRevision && state.hasDirty() && !state.inflight) {
      root = state.root;
      revision = state.rootRevision;
      freshRead = false;
    } else {
      const useConditional = cas && state.root !== null && state.rootRevision !== null && !locked;
      const read = await meter.read(META_PATH, useConditional ? { ifNoneMatch: state.rootRevision! } : {});
      if (read.status === 'not-modified') {
        root = state.root;
        revision = state.rootRevision;
      } else if (read.status === 'not-found') {
        // A device that knew a root never answers a missing meta.json with a brand-new one while
        // the folder still holds sync files: one spurious 404 would otherwise replace everything.
        if (state.root !== null && (await folderHoldsSyncFiles(meter))) {
          throw new SyncError(
            'server',
            'The server answered that the sync index is missing, although the sync folder still holds synced files: most likely a passing fault of the server. Nothing was written; the next sync tries again.',
            { path: META_PATH },
          );
        }
        reseedFrom = state.root;
        root = null;
        revision = null;
      } else {
        root = parseRoot(await decode(read.data, META_PATH));
        revision = read.revision;
      }
      readAt = this.now();
    }

    // 2. What happened to an upload whose commit we never heard back from.
    const reconciled = freshRead && this.reconcileInflight(root);

    // 3. A restore from an old backup (or a copied profile): the remote knows commits of our
    // replica that we do not remember, so our newer write counters may be taken. Take a new id.
    // The rotation is a step of its own, persisted at once with the view it changes: a round that
    // fails after it must not leave records and bookkeeping disagreeing on disk.
    if (root && this.remoteKnowsMoreOf(root, state.replica)) {
      const rotated = state.rotateReplica(newId(this.random, 10));
      const view = state.refreshView(rotated);
      await this.options.persistence.save({ ...state.persistRequest(rotated), view });
      this.pendingView = mergeViewChanges(this.pendingView, view);
    } else if (root && state.openedAt !== null) {
      state.openedAt = null;
    }
    const session = new MergeSession(state);

    // SYNC.md §6: a root must never forget a commit. One written over by a device that did not
    // compare-and-swap (lock race, a server ignoring If-Match) is repaired with a snapshot of
    // everything we know, which includes what it lost. Until then we keep remembering what it lost.
    const knowledge = root ? rootKnowledge(root) : null;
    const regressed = knowledge !== null && !knowledge.known.covers(state.remoteKnown);
    // Commits no root names (a root written over by a device that did not see them): merged and
    // carried by a snapshot, so a commit reported as synced outlives its writer (unnamed-files.ts).
    const unnamed = root && knowledge && freshRead && this.unnamedScanDue() ? await this.scanUnnamed(meter, root, knowledge) : [];
    const namesLostFile = root !== null && root.deltas.some((delta) => this.lostFiles.has(delta.file));
    if (state.mode === 'lock' && !locked && (state.hasDirty() || regressed || unnamed.length > 0 || namesLostFile)) throw new Restart('lock needed', true);

    // 4. Incoming: only what we have not applied, with bounded parallelism.
    let legacy = false;
    if (root) {
      const incoming = await this.fetchIncoming(meter, root);
      if (incoming.snapshot) session.applySnapshot(incoming.snapshot);
      for (const delta of incoming.deltas) session.applyDelta(delta);
      for (const { delta } of unnamed) session.applyDelta(delta);
    } else {
      const delta = state.root === null ? await this.readLegacy(meter) : null;
      if (delta) {
        session.applyDelta(delta);
        legacy = true;
      }
    }

    // 5. The mass-delete fail-safe, before anything is applied or sent.
    const incomingDeletes = session.preview().filter(({ before, after }) => before !== null && after === null).length;
    const outgoingDeletes = this.outgoingDeletes();
    const entities = state.view.size;
    const limits = this.options.massDelete ?? { max: 100, floor: 10 };
    const deletes = incomingDeletes + outgoingDeletes;
    this.lastIncomingKeys = [];
    if (!options.confirmMassDelete && (deletes > limits.max || (deletes > entities / 2 && deletes >= limits.floor))) {
      // The root read here is not adopted: the next round must read it again, never commit over it.
      this.rootCheckedAt = null;
      return this.result(meter, 'needs-confirmation', { upserted: [], removed: [] }, 0, emptyCounts(), false, {
        incoming: incomingDeletes,
        outgoing: outgoingDeletes,
        entities,
      });
    }

    const changedKeys = session.commit();
    this.lastIncomingKeys = changedKeys;
    // A round that brought nothing leaves the view as it is (no O(n) pass on every poll).
    const changes = changedKeys.length || state.hasDirty() ? state.refreshView(changedKeys) : { upserted: [], removed: [] };
    const previousRoot = state.root;
    state.root = root;
    state.rootRevision = revision;
    this.rootCheckedAt = readAt;
    this.noteAdoptedRoot(root);
    // What a lost file claims is not known to the remote: remembering it would make every round a repair.
    if (root && knowledge && !regressed) state.remoteKnown.addAll(this.lostFiles.size ? rootKnowledge(root, this.lostFiles).known : knowledge.known);
    if (changedKeys.length || root !== previousRoot || reconciled) {
      await this.options.persistence.save({ ...state.persistRequest(changedKeys), view: changes });
    }

    // 6. Outgoing: one delta (or a snapshot when compacting or starting a remote), then the root.
    const hasData = state.records.size > 0;
    const bootstrap = (root === null && (hasData || legacy)) || regressed || unnamed.length > 0 || namesLostFile || (options.rewrite === true && hasData);
    if (!state.hasDirty() && !bootstrap) {
      const status = changedKeys.length > 0 || legacy ? 'synced' : 'up-to-date';
      return this.result(meter, status, changes, session.newConflicts, emptyCounts(), false);
    }
    if (state.mode === 'lock' && !locked) throw new Restart('lock needed', true);
    const collect = [...unnamed.map(({ file }) => file), ...this.unnamedGarbage].filter((file) => !root?.graveyard.some((entry) => entry.file === file));
    const sent = await this.commit(meter, root ?? reseedFrom, revision, bootstrap, options.rewrite === true, how.lock, root === null, collect);
    this.unnamedPending = false;
    for (const file of collect) {
      this.unnamedGarbage.delete(file);
      this.settledUnnamed.add(file);
    }
    return this.result(meter, 'synced', changes, session.newConflicts, sent.counts, sent.compacted);
  }

  /** The remote has seen writes of our replica beyond our last commit that we know of. */
  private remoteKnowsMoreOf(root: RootMeta, replica: string): boolean {
    const counter = Math.max(this.state.committedCounter, this.state.announcedCounter);
    if ((root.devices[replica]?.maxDot ?? 0) > counter) return true;
    if (root.deltas.some((delta) => delta.replica === replica && delta.dots.some(([, to]) => to > counter))) return true;
    if (root.snapshot && CausalContext.from(root.snapshot.applied).max(replica) > counter) return true;
    return false;
  }

  /**
   * An upload whose commit outcome we never heard (crash, lost answer) is settled by the root:
   * if it names the file, the commit happened and its registers are clean.
   */
  private reconcileInflight(root: RootMeta | null): boolean {
    const inflight = this.state.inflight;
    if (!inflight) return false;
    this.state.inflight = null;
    const knowledge = root && rootKnowledge(root);
    if (knowledge && (knowledge.has(inflight.file) || knowledge.includes(this.state.replica, inflight.dots))) {
      this.markCommitted(inflight);
      this.state.committedCounter = Math.max(this.state.committedCounter, inflight.counter);
    }
    return true;
  }

  private outgoingDeletes(): number {
    let count = 0;
    for (const [key, registers] of this.state.dirty) {
      const record = this.state.records.get(key);
      if (registers.has(DELETED_KEY) && record && isDeleted(record)) count++;
    }
    return count;
  }

  private async fetchIncoming(meter: MeteredStore, root: RootMeta): Promise<{ snapshot: ParsedSnapshot | null; deltas: ParsedDelta[] }> {
    const applied = this.state.applied;
    const needSnapshot = root.snapshot !== null && !applied.covers(CausalContext.from(root.snapshot.applied));
    const inSnapshot = needSnapshot ? CausalContext.from(root.snapshot!.applied) : null;
    const covered = (delta: DeltaRef) => delta.dots.every(([from, to]) => applied.hasRange(delta.replica, from, to) || inSnapshot?.hasRange(delta.replica, from, to));
    const needed = root.deltas.filter((delta) => !this.lostFiles.has(delta.file) && !covered(delta));
    const read = async (file: string) => {
      try {
        return await this.readFile(meter, file);
      } catch (error) {
        if (error instanceof Restart) throw new Restart(error.why, false, { file, commitId: root.commitId });
        throw error;
      }
    };
    const jobs: Array<() => Promise<ParsedSnapshot | ParsedDelta>> = needed.map((ref: DeltaRef) => async () => {
      const delta = parseDelta(await read(ref.file), ref.file);
      if (delta.replica !== ref.replica) {
        throw new SyncError('invalid-remote-data', `${ref.file} on the server claims another device than meta.json says. Nothing was applied.`, { path: ref.file });
      }
      return delta;
    });
    if (needSnapshot) jobs.unshift(async () => parseSnapshot(await read(root.snapshot!.file), root.snapshot!.file));
    let done = 0;
    const progress = jobs.length > 1 ? this.options.onProgress : undefined;
    progress?.(0, jobs.length);
    const results = await inParallel(jobs, this.options.maxParallel ?? 4, async (job) => {
      const result = await job();
      progress?.(++done, jobs.length);
      return result;
    });
    const snapshot = needSnapshot ? (results.shift() as ParsedSnapshot) : null;
    return { snapshot, deltas: results as ParsedDelta[] };
  }

  private async readFile(meter: MeteredStore, path: string): Promise<unknown> {
    const read = await meter.read(path);
    // Compaction raced us and the file is gone: read the root again and start over.
    if (read.status !== 'ok') throw new Restart(`${path} is gone`);
    if (read.data.byteLength > MAX_FILE_BYTES) throw new SyncError('invalid-remote-data', `${path} on the server is larger than any sync file can be. Nothing was applied.`, { path });
    return decode(read.data, path);
  }

  private async readLegacy(meter: MeteredStore): Promise<ParsedDelta | null> {
    const read = await meter.read(LEGACY_PATH);
    if (read.status !== 'ok') return null;
    return legacyDelta(await decode(read.data, LEGACY_PATH));
  }

  private async commit(
    meter: MeteredStore,
    root: RootMeta | null,
    revision: string | null,
    bootstrap: boolean,
    rewrite: boolean,
    lock: string | null,
    /** No root on the remote: `root` is at most the one this device knew before the folder was emptied. */
    fresh: boolean,
    /** Unnamed delta files this commit retires (their writes are known, or carried by this snapshot). */
    collect: readonly string[] = [],
  ): Promise<{ counts: EntityCounts; compacted: boolean }> {
    const state = this.state;
    const now = this.now();
    const seq = (root?.seq ?? 0) + 1;
    const deltaBytes = root ? root.deltas.reduce((sum, delta) => sum + delta.bytes, 0) : 0;
    // A first upload that is all this device's own unsent writes goes up as one delta: the same
    // bytes as a snapshot, and a delta is what the listing of unnamed deltas can find.
    const compact =
      !(root === null && state.dirtyHoldsEverything()) &&
      (bootstrap ||
      (root !== null &&
        (root.deltas.length + 1 >= (this.options.compactAfterDeltas ?? 40) ||
          deltaBytes >= (this.options.compactAfterBytes ?? 512 * 1024) ||
          // meta.json stays small at any data size (SYNC.md §2; the benchmark's 16 KB target).
          jsonBytes(root).byteLength >= (this.options.compactAfterRootBytes ?? 12 * 1024))));

    // What this commit carries.
    const committedUpTo = state.counter;
    const registers: Array<[string, string, number, Dot[]]> = [];
    const counts = emptyCounts();
    const ownDots: number[] = [];
    for (const [key, dirty] of state.dirty) {
      counts[splitEntityKey(key).type]++;
      for (const [register, info] of dirty) {
        registers.push([key, register, info.gen, info.replaced]);
        for (const value of state.records.get(key)?.keys.get(register) ?? []) if (value.r === state.replica) ownDots.push(value.n);
        // Our own earlier writes this commit replaces were announced by the commits that carried
        // them; only replaced writes that never left this device belong to this delta.
        for (const [replica, counter] of info.replaced) if (replica === state.replica && counter > state.committedCounter) ownDots.push(counter);
      }
    }
    const dots = dotsToRanges(ownDots);
    const name = `${String(seq).padStart(8, '0')}-${state.replica}-${newId(this.random, 6)}`;
    let file: string;
    let bytes: Uint8Array;
    let snapshotEntities = 0;
    // A compaction also writes this device's new writes as a delta: should
    // the root be written over (a server ignoring If-Match), the delta is what the listing of
    // unnamed deltas finds, so the commit outlives its writer (unnamed-files.ts).
    let alongside: { file: string; bytes: Uint8Array } | null = null;
    if (compact) {
      file = `snapshots/${name}.json.gz`;
      const snapshot = this.buildSnapshot(now);
      snapshotEntities = snapshot.entities.length;
      bytes = await this.pack(jsonBytes(snapshot));
      if (dots.length > 0) alongside = { file: `deltas/${name}.json.gz`, bytes: await this.pack(jsonBytes(this.buildDelta(now, dots))) };
    } else {
      file = `deltas/${name}.json.gz`;
      bytes = await this.pack(jsonBytes(this.buildDelta(now, dots)));
    }

    // Files are written before the root that names them (SYNC.md §1.5).
    state.inflight = { file, dots, counter: committedUpTo, registers };
    state.announcedCounter = Math.max(state.announcedCounter, committedUpTo);
    await this.options.persistence.save(state.persistRequest([]));
    if (alongside) await meter.write(alongside.file, alongside.bytes, { createOnly: true, needsRevision: false });
    await meter.write(file, bytes, { createOnly: true, needsRevision: false });
    // A snapshot replaces every file before it: it must be there before a root names it. (A lost
    // delta heals through the others; nothing could replace a lost snapshot but its writer.)
    if (compact && !(await meter.list('snapshots')).some((entry) => entry.path === file)) {
      throw new Restart('the snapshot just written is not on the server');
    }

    const devices = { ...(root?.devices ?? {}), [state.replica]: { name: state.deviceName, lastSyncAt: now, maxDot: committedUpTo } };
    // A lost file is not put in the graveyard: should it show up again, the scan for unnamed deltas finds it.
    const replaced = [...(root?.snapshot ? [root.snapshot.file] : []), ...(root?.deltas ?? []).map((delta) => delta.file)].filter((file) => !this.lostFiles.has(file));
    // A grave is deleted once this device has seen it listed for a whole grace period on its own
    // clock: the compactor's `after` (its clock) is written for older versions and never compared.
    const expired = (root?.graveyard ?? []).filter((entry) => rewrite || this.graveRipe(entry.file));
    if (rewrite) expired.push(...replaced.map((file) => ({ file, after: now })));
    const keptGraves = (root?.graveyard ?? []).filter((entry) => !rewrite && !this.graveRipe(entry.file));
    const appliedAfter = state.applied.clone();
    for (const n of ownDots) appliedAfter.add([state.replica, n]);
    const newRoot: RootMeta = compact
      ? {
          format: 'super-sync/meta',
          formatVersion: FORMAT_VERSION,
          seq,
          commitId: newId(this.random, 12),
          snapshot: { file, seq, applied: appliedAfter.toData(), bytes: bytes.byteLength, entities: snapshotEntities },
          deltas: alongside ? [{ file: alongside.file, seq, replica: state.replica, dots, counts: nonZero(counts), bytes: alongside.bytes.byteLength }] : [],
          devices,
          graveyard: [...keptGraves, ...(rewrite ? [] : [...replaced, ...collect].map((file) => ({ file, after: now + this.graceMs() })))],
        }
      : {
          format: 'super-sync/meta',
          formatVersion: FORMAT_VERSION,
          seq,
          commitId: newId(this.random, 12),
          snapshot: root?.snapshot ?? null,
          deltas: [...(root?.deltas ?? []), { file, seq, replica: state.replica, dots, counts: nonZero(counts), bytes: bytes.byteLength }],
          devices,
          graveyard: [...keptGraves, ...collect.map((file) => ({ file, after: now + this.graceMs() }))],
        };

    const rootBytes = jsonBytes(newRoot);
    let newRevision: string | null;
    if (state.mode === 'compare-and-swap') {
      try {
        const written = await meter.write(META_PATH, rootBytes, fresh ? { createOnly: true } : revision ? { ifMatch: revision } : {});
        newRevision = written.revision;
      } catch (error) {
        if (isSyncError(error, 'precondition-failed')) throw new Restart('another device committed first');
        throw error;
      }
    } else {
      // The lock may have run out while this round paused (a laptop asleep mid-round): never
      // write the root on a lease another device may already count as abandoned.
      await this.assertLockHeld(meter, lock);
      await meter.write(META_PATH, rootBytes);
      const back = await meter.read(META_PATH);
      if (back.status !== 'ok') throw new Restart('meta.json vanished after writing it');
      const readBack = parseRoot(await decode(back.data, META_PATH));
      if (readBack.commitId !== newRoot.commitId) throw new Restart('another device overwrote meta.json');
      newRevision = back.revision;
    }

    // Committed: clear exactly what this commit carried, and keep announcing it until confirmed.
    state.inflight = null;
    this.markCommitted({ registers });
    state.committedCounter = Math.max(state.committedCounter, committedUpTo);
    state.root = newRoot;
    state.rootRevision = newRevision;
    state.remoteKnown.addAll(rootKnowledge(newRoot).known);
    this.rootCheckedAt = now;
    this.noteAdoptedRoot(newRoot);
    await this.options.persistence.save(state.persistRequest([]));

    // Old files past their grace period go last, and failing to delete them harms nothing.
    await inParallel(expired, this.options.maxParallel ?? 4, (entry) => meter.delete(entry.file).catch(() => undefined));
    return { counts, compacted: compact };
  }

  private markCommitted(commit: { registers: Array<[string, string, number, Dot[]]> }): void {
    const state = this.state;
    for (const [key, register, gen] of commit.registers) {
      const dirty = state.dirty.get(key);
      const info = dirty?.get(register);
      if (dirty && info && info.gen === gen) {
        dirty.delete(register);
        if (dirty.size === 0) state.dirty.delete(key);
      }
    }
  }

  private buildDelta(now: number, dots: DotRanges): DeltaFile {
    const state = this.state;
    const entities: DeltaFile['entities'] = [];
    for (const [key, dirty] of state.dirty) {
      const record = state.records.get(key);
      if (!record) continue;
      entities.push({
        type: record.type,
        id: record.id,
        ver: record.ver,
        keys: [...dirty].map(([register, info]) => {
          const values = (record.keys.get(register) ?? []).map(toWireValue);
          return info.replaced.length ? [register, values, info.replaced.map(([r, n]) => [r, n] as [string, number])] : [register, values];
        }),
      });
    }
    return { format: 'super-sync/delta', formatVersion: FORMAT_VERSION, replica: state.replica, createdAt: now, dots, entities };
  }

  private buildSnapshot(now: number): SnapshotFile {
    const state = this.state;
    const replicas: string[] = [];
    const index = new Map<string, number>();
    const replicaIndex = (replica: string) => {
      let i = index.get(replica);
      if (i === undefined) {
        i = replicas.push(replica) - 1;
        index.set(replica, i);
      }
      return i;
    };
    const entities: WireSnapshotEntity[] = [];
    for (const record of state.records.values()) {
      entities.push([record.type, record.id, record.ver, [...record.keys].map(([key, values]) => [key, values.map((value) => [value.v, replicaIndex(value.r), value.n, value.t])])]);
    }
    return {
      format: 'super-sync/snapshot',
      formatVersion: FORMAT_VERSION,
      createdAt: now,
      seen: state.seen.toData(),
      applied: state.applied.toData(),
      replicas,
      entities,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Lock mode (SYNC.md §6): a short-lived lock file, written and read back.

  //
  // No clock is compared across devices: another device's lock counts as abandoned only once this
  // device has seen that very lock, unchanged, for a whole lease on its own clock (its first look
  // comes after the lock was written, so it never steals a lease early, whatever the clocks say).
  // The holder writes the root only while less than half of its lease has passed on its own
  // clock, and only after reading the lock back as still its own. `expiresAt` is still written
  // for older versions, and never read.

  private lockTtl(): number {
    return this.options.lockTtlMs ?? 60_000;
  }

  private async acquireLock(meter: MeteredStore): Promise<string> {
    const current = await meter.read(LOCK_PATH);
    if (current.status === 'ok') {
      const lock = parseLock(current.data);
      if (lock && lock.owner !== this.state.replica && !this.lockAbandoned(lock)) {
        throw new SyncError('remote-busy', `Another device (${lock.name || lock.owner}) is syncing right now; this device tries again shortly.`);
      }
    } else {
      this.lockSeen = null;
    }
    const nonce = newId(this.random, 12);
    const takenAt = this.monotonic();
    await meter.write(LOCK_PATH, jsonBytes({ owner: this.state.replica, name: this.state.deviceName, nonce, expiresAt: this.now() + this.lockTtl() }));
    const back = await meter.read(LOCK_PATH);
    const lock = back.status === 'ok' ? parseLock(back.data) : null;
    if (!lock || lock.nonce !== nonce) throw new SyncError('remote-busy', 'Another device took the sync lock at the same moment; this device tries again shortly.');
    this.lockTakenAt = takenAt;
    this.lockSeen = null;
    return nonce;
  }

  private lockAbandoned(lock: { owner: string; nonce: string; expiresAt: number }): boolean {
    const token = `${lock.owner}|${lock.nonce}|${lock.expiresAt}`;
    const now = this.monotonic();
    if (this.lockSeen?.token !== token) {
      this.lockSeen = { token, since: now };
      return false;
    }
    return now - this.lockSeen.since >= this.lockTtl();
  }

  private async assertLockHeld(meter: MeteredStore, nonce: string | null): Promise<void> {
    if (nonce === null || this.monotonic() - this.lockTakenAt >= this.lockTtl() / 2) throw new Restart('the lock ran out during the round', true);
    const current = await meter.read(LOCK_PATH);
    if (current.status !== 'ok' || parseLock(current.data)?.nonce !== nonce) throw new Restart('another device took the lock', true);
  }

  private async releaseLock(meter: MeteredStore, nonce: string): Promise<void> {
    const current = await meter.read(LOCK_PATH);
    if (current.status === 'ok' && parseLock(current.data)?.nonce === nonce) await meter.delete(LOCK_PATH);
  }

  // -------------------------------------------------------------------------------------------

  private graceMs(): number {
    return this.options.graceMs ?? 60 * 60 * 1000;
  }

  private unnamedScanDue(): boolean {
    if (this.unnamedPending) return true;
    return this.monotonic() - this.lastUnnamedScan >= (this.options.unnamedScanMs ?? 10 * 60_000);
  }

  private async scanUnnamed(meter: MeteredStore, root: RootMeta, knowledge: ReturnType<typeof rootKnowledge>): Promise<readonly UnnamedFile[]> {
    this.lastUnnamedScan = this.monotonic();
    const read = async (file: string): Promise<UnnamedFile | null> => {
      try {
        const raw = await this.readFile(meter, file);
        return { file, delta: parseDelta(raw, file) };
      } catch (error) {
        if (error instanceof Restart) return null; // deleted meanwhile: a compaction collected it
        throw error;
      }
    };
    const found = await findUnnamedFiles(meter, root, knowledge.known, read, this.settledUnnamed);
    for (const file of found.known) this.unnamedGarbage.add(file);
    this.unnamedPending = found.unknown.length > 0;
    return found.unknown;
  }

  /** For an adopted root: when this device first saw each of its graves, and which lost files it still names. */
  private noteAdoptedRoot(root: RootMeta | null): void {
    for (const file of this.lostFiles) if (!root?.deltas.some((delta) => delta.file === file) && root?.snapshot?.file !== file) this.lostFiles.delete(file);
    const listed = new Set((root?.graveyard ?? []).map((entry) => entry.file));
    for (const file of this.graveSeen.keys()) if (!listed.has(file)) this.graveSeen.delete(file);
    const now = this.monotonic();
    for (const file of listed) if (!this.graveSeen.has(file)) this.graveSeen.set(file, now);
  }

  private graveRipe(file: string): boolean {
    const since = this.graveSeen.get(file);
    return since !== undefined && this.monotonic() - since >= this.graceMs();
  }

  private result(
    meter: MeteredStore,
    status: RoundResult['status'],
    changes: ViewChanges,
    newConflicts: number,
    sent: EntityCounts,
    compacted: boolean,
    massDelete?: RoundResult['massDelete'],
  ): RoundResult {
    if (this.pendingView) {
      changes = mergeViewChanges(this.pendingView, changes);
      this.pendingView = null;
    }
    // What other devices' data changed here (not what a view refresh re-emitted of our own edits).
    const received = emptyCounts();
    const incoming = new Set(this.lastIncomingKeys);
    for (const { type, entity } of changes.upserted) if (incoming.has(entityKey(type, entity.id))) received[type]++;
    for (const { type, id } of changes.removed) if (incoming.has(entityKey(type, id))) received[type]++;
    return {
      status,
      received,
      sent,
      changes,
      newConflicts,
      openConflicts: this.conflicts().length,
      requests: meter.requests,
      bytesSent: meter.bytesSent,
      bytesReceived: meter.bytesReceived,
      compacted,
      mode: this.state.mode,
      ...(massDelete ? { massDelete } : {}),
    };
  }
}

/** What a root makes known: the files it names and every delta's writes it includes. */
function rootKnowledge(
  root: RootMeta,
  without: ReadonlySet<string> = new Set(),
): { known: CausalContext; has(file: string): boolean; includes(replica: string, dots: DotRanges): boolean } {
  const files = new Set([...(root.snapshot ? [root.snapshot.file] : []), ...root.deltas.map((delta) => delta.file)]);
  const known = CausalContext.from(root.snapshot?.applied);
  try {
    for (const delta of root.deltas) if (!without.has(delta.file)) for (const [from, to] of delta.dots) known.addRange(delta.replica, from, to);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new SyncError('invalid-remote-data', `The sync index on the server claims impossible writes (${error.message}). Nothing was applied.`, { path: META_PATH, cause: error });
  }
  const includes = (replica: string, dots: DotRanges) => dots.every(([from, to]) => known.hasRange(replica, from, to));
  return {
    known,
    has: (file) => files.has(file),
    includes,
  };
}

/** `first` then `then`, as one list of what the app must apply: the later change of an entity wins. */
function mergeViewChanges(first: ViewChanges | null, then: ViewChanges): ViewChanges {
  if (!first) return then;
  const upserted = new Map(first.upserted.map((change) => [entityKey(change.type, change.entity.id), change]));
  const removed = new Map(first.removed.map((change) => [entityKey(change.type, change.id), change]));
  for (const change of then.upserted) {
    const key = entityKey(change.type, change.entity.id);
    removed.delete(key);
    upserted.set(key, change);
  }
  for (const change of then.removed) {
    const key = entityKey(change.type, change.id);
    upserted.delete(key);
    removed.set(key, change);
  }
  return { upserted: [...upserted.values()], removed: [...removed.values()] };
}

/** Whether the remote still holds delta or snapshot files (a listing: only when meta.json is missing). */
async function folderHoldsSyncFiles(meter: MeteredStore): Promise<boolean> {
  for (const folder of ['deltas', 'snapshots']) if ((await meter.list(folder)).length > 0) return true;
  return false;
}

/** A remote file as JSON; anything unreadable becomes an error that says so and applies nothing. */
async function decode(bytes: Uint8Array, path: string): Promise<unknown> {
  try {
    return await decodeRemoteJson(bytes, path, isEncrypted);
  } catch (error) {
    if (isSyncError(error)) throw error;
    throw new SyncError('invalid-remote-data', `${path} on the server is not readable (truncated or garbled). Nothing was applied; the next sync tries again once it is sound.`, { path, cause: error });
  }
}

function parseLock(bytes: Uint8Array): { owner: string; name: string; nonce: string; expiresAt: number } | null {
  if (isEncrypted(bytes)) throw new SyncError('encryption', 'This sync folder is end-to-end encrypted. Enter its passphrase in the sync settings to sync this device; nothing was changed.');
  try {
    const raw = parseJsonBytes(bytes) as Record<string, unknown>;
    if (typeof raw?.['owner'] !== 'string' || typeof raw['nonce'] !== 'string' || typeof raw['expiresAt'] !== 'number') return null;
    return { owner: raw['owner'], name: typeof raw['name'] === 'string' ? raw['name'] : '', nonce: raw['nonce'], expiresAt: raw['expiresAt'] };
  } catch {
    return null;
  }
}

function conflictValue(value: { v: unknown; r: string; n: number; t: string }): ConflictValue {
  return { value: value.v, device: value.r, at: decodeStamp(value.t).wall, stamp: valueToken(value) };
}

/** Names one value of a register: its stamp alone is not unique (two devices can write in one ms). */
function valueToken(value: { r: string; n: number; t: string }): string {
  return `${value.t}.${value.r}.${value.n}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function titleOf(entity: DomainEntity | null, id: string): string {
  const title = entity?.['title'];
  return typeof title === 'string' && title ? title : id;
}

function changedFields(before: DomainEntity | null, after: DomainEntity | null): string[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...fields].filter((field) => !['id', 'version', 'lastModifiedAt', 'lastModifiedBy'].includes(field) && JSON.stringify(before?.[field]) !== JSON.stringify(after?.[field]));
}

export function emptyCounts(): EntityCounts {
  return { task: 0, project: 0, tag: 0, metric: 0 };
}

function nonZero(counts: EntityCounts): Partial<EntityCounts> {
  const result: Partial<EntityCounts> = {};
  for (const type of ENTITY_TYPES) if (counts[type]) result[type] = counts[type];
  return result;
}

function newId(random: () => number, length: number): string {
  let id = '';
  while (id.length < length) id += Math.floor(random() * 36).toString(36);
  return id;
}

