import { DestroyRef, inject, Injectable } from '@angular/core';
import { Action, Store } from '@ngrx/store';
import { Subscription } from 'rxjs';
import { EntitiesToUpsert, EntityIdsToRemove, RemoteEntitiesActions } from '../../domain/app-data.actions';
import { CLOCK } from '../../domain/clock';
import { ENTITY_TYPES, EntityType } from '../../domain/domain-data.model';
import { DomainState, domainReducers } from '../../domain/domain-state';
import { selectDomainState } from '../../domain/domain.selectors';
import { diffEntities } from '../../domain/entity-diff';
import { LocalDatabase } from '../../persistence/local-database';
import { PersistenceStatusActions } from '../../persistence/persistence.actions';
import { DomainEntity, entityKey, splitEntityKey } from '../engine/crdt/schema';
import { LocalChange, ViewChanges } from '../engine/replica/replica-state';
import { SyncEngineHost } from './sync-engine-host.service';
import { SyncApiActions } from './sync.actions';

function describeError(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const message = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  if (name === 'QuotaExceededError') return 'The browser refused to store more data (storage quota exceeded). Free some space or export your data.';
  return `Saving to the browser's database failed${name ? ` (${name})` : ''}: ${message}`;
}

type Row = { readonly type: EntityType; readonly entity: DomainEntity | null };

function reduceDomain(state: DomainState, action: Action): DomainState {
  return {
    task: domainReducers.task(state.task, action),
    project: domainReducers.project(state.project, action),
    tag: domainReducers.tag(state.tag, action),
    metric: domainReducers.metric(state.metric, action),
  };
}

/**
 * The one path of entity changes in the tab that leads, and the only writer of entity rows for
 * them. Local: what the store holds beyond `recorded` (what the engine and the database know) is
 * recorded into the engine at once and written with the engine's bookkeeping in one transaction.
 * Remote: before the engine's changes are dispatched, every local change the store holds is
 * recorded first, and the engine's current entities (which include it) are what the store gets;
 * `recorded` then moves past them in the same synchronous step. So a remote update can never
 * replace a local edit, and nothing needs telling apart by object identity. (The rows of a remote
 * change were written by the engine's own save, in the transaction of its merge.)
 */
@Injectable({ providedIn: 'root' })
export class LocalWriter {
  private readonly store = inject(Store);
  private readonly db = inject(LocalDatabase);
  private readonly host = inject(SyncEngineHost);
  private readonly clock = inject(CLOCK);

  private recorded: DomainState | null = null;
  private latest: DomainState | null = null;
  private subscription: Subscription | null = null;
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();
  /** Rows and engine records not written yet (waiting, or after a failed write). */
  private readonly rows = new Map<string, Row>();
  private readonly records = new Set<string>();
  private forwarded: string[] = [];
  private failures = 0;
  private writing = 0;
  /** Other tabs' actions (by id) now stored with their changes. */
  onStored: (ids: readonly string[]) => void = () => undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Start recording; `baseline` is what the database and the engine hold now. */
  start(baseline: DomainState): void {
    this.stop();
    this.recorded = baseline;
    this.latest = baseline;
    this.subscription = this.store.select(selectDomainState).subscribe((state) => {
      this.latest = state;
      if (state !== this.recorded) this.schedule();
    });
    addEventListener('pagehide', this.flushNow);
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    removeEventListener('pagehide', this.flushNow);
  }

  /** Another tab's action is about to run here: its id is stored with the changes it makes. */
  noteForwarded(id: string): void {
    this.forwarded.push(id);
    this.schedule();
  }

  /** Resolves once everything dispatched so far has been written (or has failed). */
  whenIdle(): Promise<void> {
    if (this.scheduled) this.flushNow();
    return this.chain;
  }

  /** The engine's outcome into the store, after every local change the store holds is recorded. */
  applyEngineChanges(changes: ViewChanges): void {
    if (!changes.upserted.length && !changes.removed.length) return;
    const corrected = this.capture();
    this.show(corrected ? { upserted: [...changes.upserted, ...corrected.upserted], removed: [...changes.removed, ...corrected.removed] } : changes);
  }

  private show(changes: ViewChanges): void {
    const engine = this.host.engine;
    const upsert: Record<string, DomainEntity[]> = {};
    const remove: Record<string, string[]> = {};
    for (const { type, id } of [...changes.upserted.map(({ type, entity }) => ({ type, id: entity.id })), ...changes.removed]) {
      // The engine's entity now, not the one the round computed: it holds local edits made during the round.
      const entity = engine ? engine.entity(type, id) : changes.upserted.find((u) => u.type === type && u.entity.id === id)?.entity;
      if (entity) (upsert[type] ??= []).push(entity);
      else (remove[type] ??= []).push(id);
    }
    const action = RemoteEntitiesActions.remoteEntitiesApplied({ upsert: upsert as unknown as EntitiesToUpsert, remove: remove as EntityIdsToRemove });
    // What is recorded moves by the same pure step the store takes, whenever the store takes it:
    // these entities are then the identical objects on both sides, and no local change.
    if (this.recorded) this.recorded = reduceDomain(this.recorded, action);
    this.store.dispatch(action);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.store.dispatch(PersistenceStatusActions.writePending());
    // A microtask, not a timer: a tab in the background (the leader may be one) throttles timers to a minute.
    queueMicrotask(this.flushNow);
  }

  private readonly flushNow = (): void => {
    if (!this.scheduled) return;
    this.scheduled = false;
    const corrected = this.capture();
    if (corrected) this.show(corrected);
    this.chain = this.chain.then(() => this.write());
  };

  /**
   * Record into the engine, synchronously, what the store holds beyond `recorded`. Returns the
   * entities the store must show otherwise: edits made on a copy older than the engine's (a remote
   * update not applied to the store yet) keep only the fields they changed.
   */
  private capture(): ViewChanges | null {
    const from = this.recorded;
    const to = this.latest;
    if (!from || !to || from === to) return null;
    this.recorded = to;
    const diff = diffEntities(from, to);
    const changes: LocalChange[] = [];
    for (const type of ENTITY_TYPES) {
      const previous = from[type].entities as Record<string, DomainEntity | undefined>;
      for (const entity of [...diff[type].created, ...diff[type].updated] as unknown as DomainEntity[]) {
        changes.push({ type, id: entity.id, entity, before: previous[entity.id] ?? null });
        this.rows.set(entityKey(type, entity.id), { type, entity });
      }
      for (const entity of diff[type].removed as unknown as DomainEntity[]) {
        changes.push({ type, id: entity.id, entity: null, before: entity });
        this.rows.set(entityKey(type, entity.id), { type, entity: null });
      }
    }
    const engine = this.host.engine;
    if (!engine || !changes.length) return null;
    const request = engine.recordLocalChanges(changes);
    for (const record of request.records) this.records.add(entityKey(record.type, record.id));
    // Stored as the engine shows them, not as the outdated copy had them.
    for (const { type, entity } of request.view?.upserted ?? []) this.rows.set(entityKey(type, entity.id), { type, entity });
    for (const { type, id } of request.view?.removed ?? []) this.rows.set(entityKey(type, id), { type, entity: null });
    if (request.records.length) this.store.dispatch(SyncApiActions.localChangesRecorded({ count: request.records.length }));
    return request.view && (request.view.upserted.length || request.view.removed.length) ? request.view : null;
  }

  private async write(): Promise<void> {
    if (!this.rows.size && !this.records.size && !this.forwarded.length) return this.reportSaved();
    const rows = new Map(this.rows);
    const records = new Set(this.records);
    const forwarded = this.forwarded;
    this.rows.clear();
    this.records.clear();
    this.forwarded = [];
    const engine = this.host.engine;
    // The records as they are now (a later change to one only makes it newer), with the bookkeeping.
    const sync = engine && (records.size || forwarded.length) ? engine.state.persistRequest(records) : null;
    const upsert: Array<{ type: EntityType; entity: DomainEntity }> = [];
    const remove: Array<{ type: EntityType; id: string }> = [];
    for (const [key, row] of rows) {
      const { type, id } = splitEntityKey(key);
      // The entity as the engine shows it now, not as it was captured: a merge saved since (with a
      // field from another device) must not be written over by this older copy. (An entity the
      // sync keeps no record of, such as one with an id other devices would refuse, is as captured.)
      const entity = engine?.hasRecord(type, id) ? (engine.entity(type, id) ?? null) : row.entity;
      if (entity) upsert.push({ type: row.type, entity });
      else remove.push({ type: row.type, id });
    }
    this.writing++;
    try {
      await this.db.writeBatch({ upsert, remove, sync: sync && { records: sync.records, book: sync.book }, tabActions: forwarded });
      this.failures = 0;
      this.onStored(forwarded);
      this.reportSaved();
    } catch (error) {
      // Written again with the next batch, or by itself after a pause.
      for (const [key, row] of rows) if (!this.rows.has(key)) this.rows.set(key, row);
      for (const key of records) this.records.add(key);
      this.forwarded = [...forwarded, ...this.forwarded];
      this.failures++;
      console.error('IndexedDB write failed', error);
      this.store.dispatch(PersistenceStatusActions.writeFailed({ message: describeError(error) }));
      setTimeout(() => this.retry(), Math.min(30_000, 1_000 * 2 ** Math.min(this.failures, 5)));
    } finally {
      this.writing--;
    }
  }

  /** Whether changes are waiting to be written, or being written. */
  get busy(): boolean {
    return this.scheduled || this.writing > 0 || this.rows.size > 0 || this.forwarded.length > 0;
  }

  /** Whether changes the engine holds are not stored yet because writing failed: no round may commit them. */
  get failing(): boolean {
    return this.failures > 0;
  }

  private retry(): void {
    if (!this.rows.size && !this.records.size && !this.forwarded.length) return;
    if (this.scheduled) return;
    this.scheduled = true;
    this.flushNow();
  }

  /** "Saved" only when nothing newer is waiting: tests and people may trust it before a reload. */
  private reportSaved(): void {
    if (!this.scheduled && !this.rows.size && !this.forwarded.length) this.store.dispatch(PersistenceStatusActions.writeSucceeded({ at: this.clock() }));
  }
}
