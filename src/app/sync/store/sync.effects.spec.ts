import { TestBed } from '@angular/core/testing';
import { provideMockActions } from '@ngrx/effects/testing';
import { Action } from '@ngrx/store';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { Subject, Subscription, isObservable } from 'rxjs';
import { RemotesService } from './remotes.service';
import { TabRoleState } from '../../tabs/tab-role';
import { connectionView } from './provider-settings';
import { SyncConnection } from './sync-connection.service';
import { SyncRounds } from './sync-rounds.service';
import { SyncApiActions, SyncUiActions } from './sync.actions';
import { FOREGROUND_POLL_MS, LOCAL_CHANGE_DEBOUNCE_MS, SyncEffects } from './sync.effects';
import { initialSyncState } from './sync.reducer';

const settings = connectionView({ provider: 'webdav' as const, url: 'https://dav.example', username: 'u', password: 'p', folder: 'f' });

describe('sync effects: when to sync', () => {
  let actions: Subject<Action>;
  let host: jasmine.SpyObj<SyncRounds> & { isConfigured: boolean };
  let role: TabRoleState;
  let store: MockStore;
  const subscriptions: Subscription[] = [];

  afterEach(() => jasmine.clock().uninstall());

  beforeEach(() => {
    jasmine.clock().install();
    jasmine.clock().mockDate(new Date(2026, 10, 25));
    actions = new Subject<Action>();
    host = Object.assign(jasmine.createSpyObj<SyncRounds>('SyncRounds', ['requestSync', 'resolveConflict', 'dismissAllConflicts', 'preview']), { isConfigured: true });
    role = new TabRoleState();
    host.requestSync.and.resolveTo('synced');
    TestBed.configureTestingModule({
      providers: [
        SyncEffects,
        provideMockActions(() => actions),
        provideMockStore({ initialState: { sync: { ...initialSyncState, settings, intervalMinutes: 0 } } }),
        { provide: SyncRounds, useValue: host },
        { provide: SyncConnection, useValue: jasmine.createSpyObj('SyncConnection', ['save', 'setDeviceName']) },
        { provide: TabRoleState, useValue: role },
        { provide: RemotesService, useValue: jasmine.createSpyObj('RemotesService', ['testConnection', 'saveInterval']) },
        { provide: FOREGROUND_POLL_MS, useValue: 3_600_000 },
      ],
    });
    store = TestBed.inject(MockStore);
    void store;
    // What EffectsModule does: subscribe to every effect.
    const effects = TestBed.inject(SyncEffects) as unknown as Record<string, unknown>;
    for (const effect of Object.values(effects)) if (isObservable(effect)) subscriptions.push(effect.subscribe());
  });

  afterEach(() => subscriptions.splice(0).forEach((subscription) => subscription.unsubscribe()));

  it('syncs once, after the debounce, for a burst of local changes', () => {
    for (let i = 0; i < 5; i++) {
      actions.next(SyncApiActions.localChangesRecorded({ count: 1 }));
      jasmine.clock().tick(300);
    }
    expect(host.requestSync).not.toHaveBeenCalled();
    jasmine.clock().tick(LOCAL_CHANGE_DEBOUNCE_MS);
    expect(host.requestSync).toHaveBeenCalledOnceWith('local changes');
  });

  it('syncs at start-up only when the engine is ready and a provider is set', () => {
    actions.next(SyncApiActions.engineReady({ connection: null, intervalMinutes: 0, deviceName: 'd', conflicts: [] }));
    expect(host.requestSync).not.toHaveBeenCalled();
    actions.next(SyncApiActions.engineReady({ connection: settings, intervalMinutes: 0, deviceName: 'd', conflicts: [] }));
    expect(host.requestSync).toHaveBeenCalledWith('start-up');
  });

  it('does not sync after local changes while no provider is set', () => {
    host.isConfigured = false;
    actions.next(SyncApiActions.localChangesRecorded({ count: 1 }));
    jasmine.clock().tick(LOCAL_CHANGE_DEBOUNCE_MS + 1);
    expect(host.requestSync).not.toHaveBeenCalled();
  });

  it('retries a transient failure with growing back-off, and stops after a success', () => {
    const fail = () => actions.next(SyncApiActions.roundFailed({ error: { code: 'offline', message: 'no answer', at: 0 }, retryInMs: null }));
    fail();
    jasmine.clock().tick(3_700);
    expect(host.requestSync).not.toHaveBeenCalled();
    jasmine.clock().tick(2_600);
    expect(host.requestSync).toHaveBeenCalledTimes(1);
    fail();
    jasmine.clock().tick(7_400);
    expect(host.requestSync).toHaveBeenCalledTimes(1);
    jasmine.clock().tick(5_200);
    expect(host.requestSync).toHaveBeenCalledTimes(2);
    actions.next(SyncApiActions.roundSucceeded({ summary: { status: 'up-to-date', received: { task: 0, project: 0, tag: 0, metric: 0 }, sent: { task: 0, project: 0, tag: 0, metric: 0 }, newConflicts: 0, requests: 1, bytesSent: 0, bytesReceived: 0, at: 0 }, conflicts: [], devices: [] }));
    jasmine.clock().tick(600_000);
    expect(host.requestSync).toHaveBeenCalledTimes(2);
  });

  it('waits for a person instead of retrying a refused login', () => {
    actions.next(SyncApiActions.roundFailed({ error: { code: 'auth', message: 'refused', at: 0 }, retryInMs: null }));
    jasmine.clock().tick(600_000);
    expect(host.requestSync).not.toHaveBeenCalled();
  });

  it('honours the server’s retry-after when it is longer than the back-off', () => {
    actions.next(SyncApiActions.roundFailed({ error: { code: 'rate-limited', message: 'slow down', at: 0 }, retryInMs: 30_000 }));
    jasmine.clock().tick(29_000);
    expect(host.requestSync).not.toHaveBeenCalled();
    jasmine.clock().tick(1_000);
    expect(host.requestSync).toHaveBeenCalledTimes(1);
  });

  it('syncs when asked, and passes the mass-delete confirmation on', () => {
    actions.next(SyncUiActions.syncNow());
    actions.next(SyncUiActions.confirmMassDelete());
    expect(host.requestSync.calls.allArgs()).toEqual([['sync now'], ['mass delete confirmed', { confirmMassDelete: true }]]);
  });

  it('leaves what a person asks of sync to the tab that leads, in a tab that follows', () => {
    role.role = 'follower';
    actions.next(SyncUiActions.syncNow());
    actions.next(SyncUiActions.resolveConflict({ entityType: 'task', id: 't', field: 'title', stamp: 's' }));
    expect(host.requestSync).not.toHaveBeenCalled();
    expect(host.resolveConflict).not.toHaveBeenCalled();
    role.role = 'leader';
    actions.next(SyncUiActions.syncNow());
    expect(host.requestSync).toHaveBeenCalledOnceWith('sync now');
  });

  it('polls while a provider is set, every foreground interval', () => {
    jasmine.clock().tick(3_600_000);
    expect(host.requestSync).toHaveBeenCalledWith('checking for changes');
    store.setState({ sync: { ...initialSyncState, settings: null, intervalMinutes: 0 } });
    host.requestSync.calls.reset();
    jasmine.clock().tick(3 * 3_600_000);
    expect(host.requestSync).not.toHaveBeenCalledWith('checking for changes');
  });

  it('in a visible tab that follows, asks the leader to look for changes instead of syncing itself', () => {
    role.role = 'follower';
    const dispatch = spyOn(store, 'dispatch');
    jasmine.clock().tick(3_600_000);
    expect(host.requestSync).not.toHaveBeenCalled();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.checkForChanges({ reason: 'checking for changes' }));
    role.role = 'leader';
    actions.next(SyncUiActions.checkForChanges({ reason: 'checking for changes' }));
    expect(host.requestSync).toHaveBeenCalledWith('checking for changes');
  });
});
