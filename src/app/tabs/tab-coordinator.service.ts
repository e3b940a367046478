import { DestroyRef, inject, Injectable } from '@angular/core';
import { Action, ActionsSubject, Store } from '@ngrx/store';
import { EntitiesToUpsert, EntityIdsToRemove, PersistenceActions, RemoteEntitiesActions } from '../domain/app-data.actions';
import { CLOCK } from '../domain/clock';
import { DomainData, ENTITY_TYPES } from '../domain/domain-data.model';
import { domainData, DomainState } from '../domain/domain-state';
import { selectDomainState } from '../domain/domain.selectors';
import { diffEntities } from '../domain/entity-diff';
import { LocalDatabase } from '../persistence/local-database';
import { PersistenceStatusActions } from '../persistence/persistence.actions';
import { LocalWriter } from '../sync/store/local-writer';
import { SyncEngineHost } from '../sync/store/sync-engine-host.service';
import { SyncApiActions, SyncUiActions } from '../sync/store/sync.actions';
import { SharedSyncState, sharedSyncState, syncFeature, SyncState } from '../sync/store/sync.reducer';
import { TabPeer, TabPorts, TakeOver } from './tab-protocol';
import { isForwarded, TabRoleState } from './tab-role';

/** The state a joining tab starts from. */
interface TabSnapshot {
  readonly data: DomainData;
  readonly deviceId: string;
  readonly sync: SharedSyncState;
}

/** What changed at the leader, in order. */
interface TabChanges {
  readonly upsert?: EntitiesToUpsert;
  readonly remove?: EntityIdsToRemove;
  readonly sync?: SharedSyncState;
}

function newTabId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : Math.random().toString(36).slice(2);
}

/**
 * The tabs of one profile as one device (tab-protocol.ts; docs/decisions.md): the leader, which
 * holds the profile's Web Lock for as long as it is open, loads the database, runs the engine and
 * writes; every other tab shows the leader's state from BroadcastChannel and sends its edits there.
 */
@Injectable({ providedIn: 'root' })
export class TabCoordinator {
  private readonly store = inject(Store);
  private readonly actions = inject(ActionsSubject);
  private readonly db = inject(LocalDatabase);
  private readonly host = inject(SyncEngineHost);
  private readonly writer = inject(LocalWriter);
  private readonly role = inject(TabRoleState);
  private readonly clock = inject(CLOCK);
  private channel: BroadcastChannel | null = null;
  private peer: TabPeer<Action, TabSnapshot, TabChanges> | null = null;
  private domain: DomainState | null = null;
  private sync: SyncState | null = null;
  private deviceId = '';
  private broadcastFrom: { domain: DomainState; sync: SyncState } | null = null;
  private showing: (() => void) | null = null;
  private released: (() => void) | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Resolves once this tab shows a state: loaded as the leader, or a snapshot from the leader. */
  async start(): Promise<void> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks || typeof BroadcastChannel === 'undefined') {
      // One tab alone (no way to coordinate): it leads.
      await this.takeOver();
      return;
    }
    const shown = new Promise<void>((resolve) => (this.showing = resolve));
    this.role.role = 'follower';
    const peer = new TabPeer<Action, TabSnapshot, TabChanges>(newTabId(), this.ports());
    this.peer = peer;
    this.channel = new BroadcastChannel(`super-sync-tabs:${this.db.name}`);
    this.channel.onmessage = (event: MessageEvent) => peer.receive(event.data);
    this.store.select(selectDomainState).subscribe((domain) => (this.domain = domain));
    this.store.select(syncFeature.selectSyncState).subscribe((sync) => {
      this.sync = sync;
      this.broadcast();
    });
    this.store.select(selectDomainState).subscribe(() => this.broadcast());
    this.actions.subscribe((action) => {
      if (!this.role.leads && isForwarded(action)) peer.edit(action);
    });
    const lockName = `super-sync-leader:${this.db.name}`;
    const hold = () => new Promise<void>((resolve) => (this.released = resolve));
    const leadsNow = await new Promise<boolean>((resolve) => {
      void locks.request(lockName, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock ? hold() : undefined;
      });
    });
    if (leadsNow) await peer.lead().catch(() => undefined);
    else {
      peer.join();
      // When the leader goes (closed, reloaded, crashed), the lock passes to a waiting tab.
      void locks.request(lockName, () => {
        void peer.lead().catch(() => undefined);
        return hold();
      });
    }
    // Edits of this tab that no leader has stored yet would go with it: the browser asks first.
    addEventListener('beforeunload', (event) => {
      if ((peer.unsaved > 0 && peer.role !== 'leader') || (peer.role === 'leader' && this.writer.busy)) event.preventDefault();
    });
    await shown;
  }

  private ports(): TabPorts<Action, TabSnapshot, TabChanges> {
    return {
      post: (message) => this.channel?.postMessage(message),
      takeOver: () => this.takeOver(),
      run: (action, id) => {
        if (id) this.writer.noteForwarded(id);
        this.store.dispatch(action);
      },
      snapshot: () => ({ data: domainData(this.domain!), deviceId: this.deviceId, sync: sharedSyncState(this.sync!) }),
      adoptSnapshot: (snapshot) => {
        this.deviceId = snapshot.deviceId;
        this.store.dispatch(PersistenceStatusActions.deviceIdentified({ deviceId: snapshot.deviceId, dbName: this.db.name }));
        this.store.dispatch(PersistenceActions.stateLoaded({ data: snapshot.data }));
        this.store.dispatch(SyncApiActions.leaderStateMirrored({ shared: snapshot.sync }));
        this.shown();
      },
      adoptChanges: (changes) => {
        if (changes.upsert || changes.remove) this.store.dispatch(RemoteEntitiesActions.remoteEntitiesApplied({ upsert: changes.upsert ?? {}, remove: changes.remove ?? {} }));
        if (changes.sync) this.store.dispatch(SyncApiActions.leaderStateMirrored({ shared: changes.sync }));
      },
      pendingChanged: (count) =>
        this.store.dispatch(count ? PersistenceStatusActions.writePending() : PersistenceStatusActions.writeSucceeded({ at: this.clock() })),
    };
  }

  /** This tab leads from now: load what is stored, open the engine, and start writing. */
  private async takeOver(): Promise<TakeOver> {
    this.role.role = 'taking-over';
    try {
      return await this.load();
    } catch (error) {
      // The stored data cannot be opened: say so in this tab, keep what was edited here (in memory),
      // and let another tab (or a reload) try again.
      console.error('Loading the stored data failed', error);
      this.store.dispatch(PersistenceStatusActions.writeFailed({ message: `This tab could not open the data stored in this browser (${error instanceof Error ? error.message : String(error)}). Reload the page; nothing has been changed.` }));
      this.shown();
      this.released?.();
      throw error;
    }
  }

  private async load(): Promise<TakeOver> {
    const loaded = await this.db.load();
    if (loaded.repairs.length) console.warn('Repaired stored data on load:', loaded.repairs);
    this.deviceId = loaded.deviceId;
    this.store.dispatch(PersistenceStatusActions.deviceIdentified({ deviceId: loaded.deviceId, dbName: this.db.name }));
    this.store.dispatch(PersistenceActions.stateLoaded({ data: loaded.data }));
    const ready = await this.host.start(loaded.data);
    let baseline: DomainState | null = null;
    this.store.select(selectDomainState).subscribe((domain) => (baseline = domain)).unsubscribe();
    this.writer.onStored = (ids) => this.peer?.saved(ids);
    this.writer.start(baseline!);
    // From here, edits in this tab run here, and the sync may start.
    this.role.role = 'leader';
    this.store.dispatch(ready);
    // A connection another tab submitted just before the last leader went is connected now.
    this.store.dispatch(SyncUiActions.connectionSubmitted());
    // Followers start from a snapshot of this state (they ask once this tab announces itself).
    if (this.domain && this.sync) this.broadcastFrom = { domain: this.domain, sync: this.sync };
    this.shown();
    return loaded.tabs;
  }

  /** Leader: the state changed; followers get what changed, in the order it changed. */
  private broadcast(): void {
    const domain = this.domain;
    const sync = this.sync;
    if (!domain || !sync || !this.peer) return;
    const from = this.broadcastFrom;
    this.broadcastFrom = { domain, sync };
    if (!from || !this.role.leads || this.peer.role !== 'leader') return;
    const changes: { upsert?: Record<string, unknown[]>; remove?: Record<string, string[]>; sync?: SharedSyncState } = {};
    if (from.domain !== domain) {
      const diff = diffEntities(from.domain, domain);
      for (const type of ENTITY_TYPES) {
        const upserted = [...diff[type].created, ...diff[type].updated];
        if (upserted.length) (changes.upsert ??= {})[type] = upserted;
        if (diff[type].removed.length) (changes.remove ??= {})[type] = diff[type].removed.map((entity) => entity.id);
      }
    }
    if (from.sync !== sync) changes.sync = sharedSyncState(sync);
    if (changes.upsert || changes.remove || changes.sync) this.peer.changed(changes as TabChanges);
  }

  private shown(): void {
    this.showing?.();
    this.showing = null;
  }

  private stop(): void {
    this.channel?.close();
    this.channel = null;
    this.released?.();
  }
}
