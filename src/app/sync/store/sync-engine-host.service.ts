import { inject, Injectable } from '@angular/core';
import { Store } from '@ngrx/store';
import { CLOCK } from '../../domain/clock';
import { DomainData, ENTITY_TYPES } from '../../domain/domain-data.model';
import { DEVICE_ID_KEY } from '../../persistence/app-db';
import { LocalDatabase } from '../../persistence/local-database';
import { DomainEntity } from '../engine/crdt/schema';
import { LocalChange } from '../engine/replica/replica-state';
import { SyncEngine } from '../engine/sync-engine';
import { IndexedDbSyncPersistence } from './indexeddb-sync-persistence';
import { RemotesService } from './remotes.service';
import { SyncConnection } from './sync-connection.service';
import { SyncApiActions } from './sync.actions';

/**
 * Opens the sync engine in the tab that leads (tabs/), on the stored state, and holds it. What the
 * engine does later goes through LocalWriter (local changes in, remote changes out) and SyncRounds.
 */
@Injectable({ providedIn: 'root' })
export class SyncEngineHost {
  private readonly store = inject(Store);
  private readonly db = inject(LocalDatabase);
  private readonly remotes = inject(RemotesService);
  private readonly connection = inject(SyncConnection);
  private readonly clock = inject(CLOCK);
  private opened: SyncEngine | null = null;

  get engine(): SyncEngine | null {
    return this.opened;
  }

  /**
   * Open the engine on what the database holds and tell it of any app data it has not seen.
   * Returns the action that announces it: dispatched once the tab is ready to sync.
   */
  async start(domain: DomainData): Promise<ReturnType<typeof SyncApiActions.engineReady>> {
    const replicaId = await this.db.readSetting<string>(DEVICE_ID_KEY);
    const [connection, intervalMinutes, deviceName] = await Promise.all([this.connection.load(), this.remotes.loadInterval(), this.remotes.loadDeviceName(replicaId ?? '')]);
    const engine = await SyncEngine.open({
      store: this.connection.remote,
      persistence: new IndexedDbSyncPersistence(this.db),
      deviceName,
      replicaId,
      // The mode belongs to the remote: until this one is probed, the safe one.
      mode: this.connection.mode ?? 'lock',
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
        const held = engine.entity(type, entity.id);
        if (held) changes.push({ type, id: entity.id, entity, before: held });
        else if (!engine.hasRecord(type, entity.id)) untracked.push({ type, id: entity.id, entity });
        else changes.push({ type, id: entity.id, entity, before: null });
      }
      for (const entity of engine.entities(type)) if (!known.has(entity.id)) changes.push({ type, id: entity.id, entity: null, before: entity });
    }
    for (const request of [engine.adoptUntracked(untracked), engine.recordLocalChanges(changes)]) {
      if (request.records.length) await engine.persist(request);
    }
    this.opened = engine;
    this.connection.deviceNameChanged = (name) => engine.configure({ deviceName: name });
    return SyncApiActions.engineReady({ connection, intervalMinutes, deviceName, conflicts: engine.conflicts() });
  }
}
