import { DomainEntity, EntityType, entityKey, splitEntityKey } from './crdt/schema';
import { gzip } from './remote/codec';
import { CommitMode } from './remote/remote-store';
import { findConflicts, resolveConflict } from './replica/conflicts';
import { LocalChange, PersistRequest, ReplicaState, ViewChanges } from './replica/replica-state';
import { deviceOf } from './replica/session';
import { RoundContext } from './round/context';
import { dryRun } from './round/dry-run';
import { newId } from './round/ids';
import { RemoteLock } from './round/lock';
import { Observations } from './round/observations';
import { runRound } from './round/round';
import { ConflictInfo, DeviceSeen, DryRunResult, RoundResult, SyncEngineOptions, SyncOptions } from './types';

export * from './types';
export { emptyCounts } from './round/round-result';

/**
 * One device's sync: local changes in, rounds against the remote out. Plain TypeScript: it runs
 * in the browser behind the NgRx glue, and in Node under the simulation and the benchmarks. This
 * class is the public face only; the round lives in round/, the replica in replica/, the CRDT in
 * crdt/ and the remote's format and stores in remote/.
 */
export class SyncEngine {
  private running: Promise<unknown> = Promise.resolve();
  private readonly ctx: RoundContext;
  private conflictCache: { version: number; conflicts: ConflictInfo[] } | null = null;

  private constructor(
    private readonly options: SyncEngineOptions,
    readonly state: ReplicaState,
    loaded: boolean,
  ) {
    const now = options.now ?? Date.now;
    const monotonic = options.monotonic ?? (() => performance.now());
    const random = options.random ?? Math.random;
    const graceMs = options.graceMs ?? 60 * 60 * 1000;
    this.ctx = {
      options,
      state,
      observed: new Observations(monotonic, graceMs, options.unnamedScanMs ?? 10 * 60_000, loaded),
      lock: new RemoteLock(() => state, options.lockTtlMs ?? 60_000, now, monotonic, random),
      now,
      random,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      pack: options.pack ?? gzip,
      graceMs,
      maxParallel: options.maxParallel ?? 4,
      openConflicts: () => this.conflicts().length,
    };
  }

  /** Load the persisted state, or start a new replica with a fresh id. */
  static async open(options: SyncEngineOptions): Promise<SyncEngine> {
    const persisted = await options.persistence.load();
    const random = options.random ?? Math.random;
    const replicaId = options.replicaId && /^[A-Za-z0-9._-]{1,128}$/.test(options.replicaId) ? options.replicaId : newId(random, 10);
    const state = persisted ? new ReplicaState(persisted.book, persisted.records) : ReplicaState.fresh(replicaId, options.deviceName ?? 'This device', options.mode ?? 'compare-and-swap');
    if (options.mode) state.mode = options.mode;
    if (options.deviceName) state.deviceName = options.deviceName;
    if (persisted) {
      // This may be a restored backup or a copied profile: write under an id of this opening's own.
      state.startSession(newId(random, 6));
      await options.persistence.save(state.persistRequest([]));
    }
    return new SyncEngine(options, state, persisted !== null);
  }

  /**
   * Settings that change while the app runs: the remote (the app's name for it), the probe's
   * verdict for it, the device's name. Another remote than the one the cached root came from: the
   * root is forgotten (and what this device saw there), so the new remote's own root is read and
   * merged; what the remote was known to hold stays, so a remote that lacks this device's data gets
   * it in a snapshot.
   */
  configure(settings: { remote?: string; mode?: CommitMode; deviceName?: string }): void {
    if (settings.remote !== undefined && settings.remote !== this.state.remote) {
      if (this.state.remote !== null) {
        this.state.root = null;
        this.state.rootRevision = null;
        this.ctx.observed = new Observations(this.ctx.observed.monotonic, this.ctx.graceMs, this.options.unnamedScanMs ?? 10 * 60_000, true);
      }
      this.state.remote = settings.remote;
    }
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
    const stale: string[] = [];
    const request = this.state.persistRequest(this.state.recordLocalChanges(changes, this.ctx.now(), stale));
    // Edits made on an outdated copy: the request carries the entities as they must now be shown (and stored).
    return stale.length ? { ...request, view: this.state.refreshView(stale) } : request;
  }

  /**
   * Entities the app holds that the sync has no record of, taken in as old data (see
   * ReplicaState.adoptUntracked). Persist the returned request like recordLocalChanges'.
   */
  adoptUntracked(changes: readonly LocalChange[]): PersistRequest {
    return this.state.persistRequest(this.state.adoptUntracked(changes, this.ctx.now()));
  }

  persist(request: PersistRequest): Promise<void> {
    return this.options.persistence.save(request);
  }

  /** Record and persist in one step (for callers without their own transaction). */
  async applyLocalChanges(changes: readonly LocalChange[]): Promise<void> {
    await this.persist(this.recordLocalChanges(changes));
  }

  /**
   * One sync round; rounds never overlap. `rewrite`: write the whole state as one new snapshot and
   * delete every older file at once, e.g. after turning end-to-end encryption on or off, so no
   * file in the old form remains.
   */
  sync(options: SyncOptions = {}): Promise<RoundResult> {
    const round = this.running.then(() => runRound(this.ctx, options));
    this.running = round.catch(() => undefined);
    return round;
  }

  /** Open conflicts, recomputed only when records changed since the last call. */
  conflicts(): ConflictInfo[] {
    const version = this.state.recordsVersion;
    if (this.conflictCache?.version !== version) this.conflictCache = { version, conflicts: findConflicts(this.state) };
    return this.conflictCache.conflicts;
  }

  /**
   * Resolve a conflict: write the chosen value (the shown one to keep it, another to use that)
   * as a new edit that replaces every sibling, so it syncs and the conflict closes everywhere.
   */
  async resolveConflict(type: EntityType, id: string, field: string, chosenStamp: string): Promise<ViewChanges> {
    const request = resolveConflict(this.state, this.ctx.now(), type, id, field, chosenStamp);
    await this.persist(request);
    return request.view;
  }

  /** Devices that have committed to this remote, from the last root read. */
  devices(): DeviceSeen[] {
    const root = this.state.root;
    if (!root) return [];
    return Object.entries(root.devices)
      .map(([replica, info]) => ({ replica, name: info.name, lastSyncAt: info.lastSyncAt, isThisDevice: deviceOf(replica) === deviceOf(this.state.replica) }))
      .sort((a, b) => b.lastSyncAt - a.lastSyncAt);
  }

  /** The plan's Phase 1: what the next round would receive and send, without writing anything. */
  dryRun(): Promise<DryRunResult> {
    return dryRun(this.ctx);
  }
}
