import { inject, Injectable } from '@angular/core';
import { Store } from '@ngrx/store';
import { EntitiesToUpsert, EntityIdsToRemove, RemoteEntitiesActions } from '../../domain/app-data.actions';
import { CLOCK } from '../../domain/clock';
import { DomainData, ENTITY_TYPES, EntityType } from '../../domain/domain-data.model';
import { DomainState } from '../../domain/domain-state';
import { DomainDiff } from '../../domain/entity-diff';
import { DEVICE_ID_KEY } from '../../persistence/app-db';
import { LocalDatabase, SyncBookkeepingWrite } from '../../persistence/local-database';
import { LocalChange, ViewChanges } from '../engine/replica/replica-state';
import { ReadOptions, ReadResult, RemoteEntry, RemoteStore, WriteOptions, WriteResult } from '../engine/remote/remote-store';
import { DomainEntity } from '../engine/crdt/schema';
import { SyncEngine, SyncOptions } from '../engine/sync-engine';
import { SyncError, isSyncError } from '../engine/sync-error';
import { IndexedDbSyncPersistence } from './indexeddb-sync-persistence';
import { ProviderSettings } from './provider-settings';
import { RemotesService } from './remotes.service';
import { SyncApiActions, SyncErrorInfo } from './sync.actions';

/** The remote the engine talks to; swapped when the user connects another provider. */
class SwitchableStore implements RemoteStore {
  target: RemoteStore | null = null;

  get label(): string {
    return this.target?.label ?? 'no sync target';
  }

  private get store(): RemoteStore {
    if (!this.target) throw new SyncError('folder-missing', 'Sync is off: choose a provider in the sync settings.');
    return this.target;
  }

  read(path: string, options?: ReadOptions): Promise<ReadResult> {
    return this.store.read(path, options);
  }
  write(path: string, data: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    return this.store.write(path, data, options);
  }
  delete(path: string): Promise<void> {
    return this.store.delete(path);
  }
  list(folder: string): Promise<RemoteEntry[]> {
    return this.store.list(folder);
  }
}

export type RoundOutcome = 'synced' | 'needs-confirmation' | 'failed' | 'skipped';

/**
 * Runs the sync engine inside the app: keeps it told of local changes (in the same IndexedDB
 * transaction as the changes, through the persister's companion hook), runs rounds one at a time
 * (across tabs too, with a Web Lock), and applies what arrives as batched remote-entity actions.
 */
@Injectable({ providedIn: 'root' })
export class SyncEngineHost {
  private readonly store = inject(Store);
  private readonly db = inject(LocalDatabase);
  private readonly remotes = inject(RemotesService);
  private readonly clock = inject(CLOCK);
  private readonly remote = new SwitchableStore();
  /** Entity objects the engine handed to the store: applying them is not a local edit. */
  private readonly fromRemote = new WeakSet<object>();
  private readonly removedByRemote = new Set<string>();
  private engine: SyncEngine | null = null;
  private settings: ProviderSettings | null = null;
  private running: Promise<RoundOutcome> | null = null;
  private again: SyncOptions | null = null;

  get isConfigured(): boolean {
    return this.settings !== null;
  }

  /** After the stored state is loaded: open the engine and tell it of anything it has not seen. */
  async start(domain: DomainData): Promise<void> {
    const replicaId = await this.db.readSetting<string>(DEVICE_ID_KEY);
    const [settings, intervalMinutes, deviceName] = await Promise.all([
      this.remotes.loadSettings(),
      this.remotes.loadInterval(),
      this.remotes.loadDeviceName(replicaId ?? ''),
    ]);
    this.settings = settings;
    this.remote.target = settings ? this.createStore(settings) : null;
    this.engine = await SyncEngine.open({
      store: this.remote,
      persistence: new IndexedDbSyncPersistence(this.db),
      deviceName,
      replicaId,
      mode: settings?.mode,
      now: this.clock,
      onProgress: (done, total) => this.store.dispatch(SyncApiActions.roundProgress({ done, total })),
    });
    // Data the engine does not hold (from before sync existed, or an engine state lost with a
    // cleared database) is old data, not fresh edits: it is adopted with its own timestamps, so it
    // never wins over newer remote values or brings back what another device deleted. What the
    // engine holds but differs becomes a write as usual.
    const untracked: LocalChange[] = [];
    const changes: LocalChange[] = [];
    for (const type of ENTITY_TYPES) {
      const known = new Set<string>();
      for (const entity of domain[type] as unknown as DomainEntity[]) {
        known.add(entity.id);
        const held = this.engine.entity(type, entity.id);
        if (held) changes.push({ type, id: entity.id, entity, before: held });
        else if (!this.engine.hasRecord(type, entity.id)) untracked.push({ type, id: entity.id, entity });
        else changes.push({ type, id: entity.id, entity, before: null });
      }
      for (const entity of this.engine.entities(type)) if (!known.has(entity.id)) changes.push({ type, id: entity.id, entity: null, before: entity });
    }
    for (const request of [this.engine.adoptUntracked(untracked), this.engine.recordLocalChanges(changes)]) {
      if (request.records.length) await this.engine.persist(request);
    }
    this.store.dispatch(SyncApiActions.engineReady({ settings, intervalMinutes, deviceName, conflicts: this.engine.conflicts() }));
  }

  /** The persister's companion: the engine's bookkeeping for a batch of local changes. */
  recordLocal(diff: DomainDiff, before: DomainState): SyncBookkeepingWrite | null {
    if (!this.engine) return null;
    const changes: LocalChange[] = [];
    for (const type of ENTITY_TYPES) {
      const previous = before[type].entities as Record<string, DomainEntity | undefined>;
      for (const entity of [...diff[type].created, ...diff[type].updated] as unknown as DomainEntity[]) {
        if (this.fromRemote.has(entity)) continue;
        changes.push({ type, id: entity.id, entity, before: previous[entity.id] ?? null });
      }
      for (const entity of diff[type].removed as unknown as DomainEntity[]) {
        if (this.removedByRemote.delete(`${type}:${entity.id}`)) continue;
        changes.push({ type, id: entity.id, entity: null, before: entity });
      }
    }
    if (!changes.length) return null;
    const request = this.engine.recordLocalChanges(changes);
    if (request.records.length) this.store.dispatch(SyncApiActions.localChangesRecorded({ count: request.records.length }));
    return { records: request.records, book: request.book };
  }

  /** Run a round now, or right after the one running (rounds never overlap). */
  requestSync(reason: string, options: SyncOptions = {}): Promise<RoundOutcome> {
    if (this.running) {
      this.again = { ...(this.again ?? {}), ...options };
      return this.running;
    }
    this.running = this.withLock(() => this.round(reason, options)).finally(() => {
      this.running = null;
      const again = this.again;
      this.again = null;
      if (again) void this.requestSync('changes during the last sync', again);
    });
    return this.running;
  }

  async resolveConflict(type: EntityType, id: string, field: string, stamp: string): Promise<void> {
    if (!this.engine) return;
    this.apply(await this.engine.resolveConflict(type, id, field, stamp));
    this.store.dispatch(SyncApiActions.conflictsChanged({ conflicts: this.engine.conflicts() }));
    void this.requestSync('conflict resolved');
  }

  async dismissAllConflicts(): Promise<void> {
    if (!this.engine) return;
    for (const conflict of this.engine.conflicts()) this.apply(await this.engine.resolveConflict(conflict.type, conflict.id, conflict.field, conflict.shown.stamp));
    this.store.dispatch(SyncApiActions.conflictsChanged({ conflicts: this.engine.conflicts() }));
    void this.requestSync('conflicts dismissed');
  }

  async saveProvider(settings: ProviderSettings | null): Promise<void> {
    await this.remotes.saveSettings(settings);
    this.settings = settings;
    this.remote.target = settings ? this.createStore(settings) : null;
    if (settings?.mode) this.engine?.configure({ mode: settings.mode });
    this.store.dispatch(SyncApiActions.providerSaved({ settings }));
  }

  async setDeviceName(name: string): Promise<void> {
    await this.remotes.saveDeviceName(name);
    this.engine?.configure({ deviceName: name });
  }

  async preview(): Promise<void> {
    if (!this.engine || !this.settings) return;
    try {
      this.store.dispatch(SyncApiActions.previewReady({ preview: await this.engine.dryRun() }));
    } catch (error) {
      this.store.dispatch(SyncApiActions.previewFailed({ error: errorInfo(error, this.clock()) }));
    }
  }

  private async round(reason: string, options: SyncOptions): Promise<RoundOutcome> {
    const engine = this.engine;
    if (!engine || !this.settings) return 'skipped';
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.store.dispatch(SyncApiActions.wentOffline());
      return 'skipped';
    }
    this.store.dispatch(SyncApiActions.roundStarted({ reason }));
    try {
      const result = await engine.sync(options);
      this.apply(result.changes);
      if (result.status === 'needs-confirmation' && result.massDelete) {
        this.store.dispatch(SyncApiActions.roundNeedsConfirmation(result.massDelete));
        return 'needs-confirmation';
      }
      this.store.dispatch(
        SyncApiActions.roundSucceeded({
          summary: {
            status: result.status,
            received: result.received,
            sent: result.sent,
            newConflicts: result.newConflicts,
            requests: result.requests,
            bytesSent: result.bytesSent,
            bytesReceived: result.bytesReceived,
            at: this.clock(),
          },
          conflicts: engine.conflicts(),
          devices: engine.devices(),
        }),
      );
      return 'synced';
    } catch (error) {
      if (!isSyncError(error)) console.error('Sync failed unexpectedly', error);
      const info = errorInfo(error, this.clock());
      if (info.code === 'offline' && typeof navigator !== 'undefined' && navigator.onLine === false) this.store.dispatch(SyncApiActions.wentOffline());
      else this.store.dispatch(SyncApiActions.roundFailed({ error: info, retryInMs: isSyncError(error) && error.isTransient ? (error.details.retryAfterMs ?? null) : null }));
      return 'failed';
    }
  }

  /** Apply the engine's outcome to the store as one batched action. */
  private apply(changes: ViewChanges): void {
    if (!changes.upserted.length && !changes.removed.length) return;
    const upsert: Record<string, DomainEntity[]> = {};
    const remove: Record<string, string[]> = {};
    for (const { type, entity } of changes.upserted) {
      this.fromRemote.add(entity);
      (upsert[type] ??= []).push(entity);
    }
    for (const { type, id } of changes.removed) {
      this.removedByRemote.add(`${type}:${id}`);
      (remove[type] ??= []).push(id);
    }
    this.store.dispatch(RemoteEntitiesActions.remoteEntitiesApplied({ upsert: upsert as unknown as EntitiesToUpsert, remove: remove as EntityIdsToRemove }));
  }

  private createStore(settings: ProviderSettings): RemoteStore {
    return this.remotes.createStore(settings, (refreshed) => {
      // Dropbox refreshed its token: keep the new one (never logged, never synced).
      this.settings = refreshed;
      void this.remotes.saveSettings(refreshed);
    });
  }

  /** Only one tab of this database syncs at a time. */
  private withLock<T>(run: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return run();
    return locks.request(`super-sync:${this.db.name}`, run) as Promise<T>;
  }
}

export function errorInfo(error: unknown, at: number): SyncErrorInfo {
  if (isSyncError(error)) return { code: error.code, message: error.message, at };
  return { code: 'unexpected', message: `Sync stopped on an unexpected problem: ${error instanceof Error ? error.message : String(error)}`, at };
}

