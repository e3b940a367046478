import { inject, Injectable, InjectionToken } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import { EMPTY, concatMap, debounceTime, distinctUntilChanged, filter, from, fromEvent, interval, map, merge, scan, switchMap, tap, throttleTime, timer, withLatestFrom } from 'rxjs';
import { RemotesService } from './remotes.service';
import { TabRoleState } from '../../tabs/tab-role';
import { SyncConnection } from './sync-connection.service';
import { SyncRounds } from './sync-rounds.service';
import { SyncApiActions, SyncUiActions } from './sync.actions';
import { selectIntervalMinutes, selectSyncSettings } from './sync.reducer';

/** Debounce between a local edit and the sync that carries it. */
export const LOCAL_CHANGE_DEBOUNCE_MS = 2_000;

/**
 * While the app is visible it checks the remote this often for other devices' changes: one
 * conditional request with no body when nothing changed, so an edit on one device shows on the
 * others within the debounce plus this. Hidden tabs only sync on the user's interval.
 */
export const FOREGROUND_POLL_MS = new InjectionToken<number>('FOREGROUND_POLL_MS', { factory: () => 10_000 });
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
/** Error codes a person must act on: no automatic retry, the interval tries again later. */
const NEEDS_A_PERSON = new Set(['auth', 'format-too-new', 'encryption', 'folder-missing', 'storage-full', 'cors']);

/**
 * When to sync; the rounds themselves run in SyncRounds (one at a time). Effects only
 * orchestrate: after local changes (debounced), at start-up (after the stored state is loaded,
 * see provideSync), on the user's interval, when the app regains focus or the network, never while
 * offline, and after failures with exponential back-off.
 */
@Injectable()
export class SyncEffects {
  private readonly actions$ = inject(Actions);
  private readonly host = inject(SyncRounds);
  private readonly connection = inject(SyncConnection);
  private readonly remotes = inject(RemotesService);
  private readonly store = inject(Store);
  private readonly pollMs = inject(FOREGROUND_POLL_MS);
  private readonly role = inject(TabRoleState);
  /** Requests are acted on in the tab that leads (the others forward them there, tabs/). */
  private readonly leads = () => this.role.leads;

  readonly startUp$ = createEffect(
    () => this.actions$.pipe(ofType(SyncApiActions.engineReady), filter(({ connection }) => connection !== null), tap(() => void this.host.requestSync('start-up'))),
    { dispatch: false },
  );

  readonly afterLocalChanges$ = createEffect(
    () =>
      this.actions$.pipe(
        ofType(SyncApiActions.localChangesRecorded),
        debounceTime(LOCAL_CHANGE_DEBOUNCE_MS),
        filter(() => this.host.isConfigured),
        tap(() => void this.host.requestSync('local changes')),
      ),
    { dispatch: false },
  );

  readonly onInterval$ = createEffect(
    () =>
      this.actions$.pipe(
        ofType(SyncApiActions.engineReady, SyncApiActions.providerSaved, SyncUiActions.setInterval),
        withLatestFrom(this.store.select(selectIntervalMinutes), this.store.select(selectSyncSettings)),
        switchMap(([, minutes, settings]) => (settings && minutes > 0 ? interval(minutes * 60_000) : EMPTY)),
        tap(() => void this.host.requestSync('interval')),
      ),
    { dispatch: false },
  );

  /** In the tab that leads, a round; in any other (whose window the person may be using), a request to the leader for one. */
  private checkForChanges(reason: string): void {
    if (this.role.leads) void this.host.requestSync(reason);
    else this.store.dispatch(SyncUiActions.checkForChanges({ reason }));
  }

  /** Every tab polls while it is visible (the leader may be a hidden tab; a visible follower asks it). */
  readonly pollWhileVisible$ = createEffect(
    () =>
      this.store.select(selectSyncSettings).pipe(
        map((settings) => settings !== null),
        distinctUntilChanged(),
        switchMap((connected) => (connected ? interval(this.pollMs) : EMPTY)),
        filter(() => typeof document === 'undefined' || document.visibilityState === 'visible'),
        tap(() => this.checkForChanges('checking for changes')),
      ),
    { dispatch: false },
  );

  readonly onFocusOrNetwork$ = createEffect(
    () =>
      typeof window === 'undefined'
        ? EMPTY
        : merge(fromEvent(window, 'online'), fromEvent(window, 'focus')).pipe(
            throttleTime(2_000),
            withLatestFrom(this.store.select(selectSyncSettings)),
            filter(([, settings]) => settings !== null),
            tap(() => this.checkForChanges('back online or in focus')),
          ),
    { dispatch: false },
  );

  /** What another tab asks for: the leader syncs (throttled: several visible tabs ask at once). */
  readonly checkForChangesRequested$ = createEffect(
    () =>
      this.actions$.pipe(
        ofType(SyncUiActions.checkForChanges),
        filter(this.leads),
        throttleTime(2_000),
        tap(({ reason }) => void this.host.requestSync(reason)),
      ),
    { dispatch: false },
  );

  readonly offline$ = createEffect(() => (typeof window === 'undefined' ? EMPTY : fromEvent(window, 'offline').pipe(map(() => SyncApiActions.wentOffline()))));

  /** Exponential back-off with jitter after transient failures; reset by a success. */
  readonly retry$ = createEffect(
    () =>
      this.actions$.pipe(
        ofType(SyncApiActions.roundFailed, SyncApiActions.roundSucceeded),
        scan(
          (streak, action) => (action.type === SyncApiActions.roundFailed.type ? { failures: streak.failures + 1, failed: action } : { failures: 0, failed: null }),
          { failures: 0, failed: null as ReturnType<typeof SyncApiActions.roundFailed> | null },
        ),
        switchMap(({ failures, failed }) => {
          if (!failed || NEEDS_A_PERSON.has(failed.error.code)) return EMPTY;
          const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1)) * (0.75 + Math.random() / 2);
          return timer(Math.max(failed.retryInMs ?? 0, backoff));
        }),
        tap(() => void this.host.requestSync('retry after a failure')),
      ),
    { dispatch: false },
  );

  readonly syncNow$ = createEffect(() => this.actions$.pipe(ofType(SyncUiActions.syncNow), filter(this.leads), tap(() => void this.host.requestSync('sync now'))), { dispatch: false });

  readonly confirmMassDelete$ = createEffect(
    () => this.actions$.pipe(ofType(SyncUiActions.confirmMassDelete), filter(this.leads), tap(() => void this.host.requestSync('mass delete confirmed', { confirmMassDelete: true }))),
    { dispatch: false },
  );

  readonly resolveConflict$ = createEffect(
    () => this.actions$.pipe(ofType(SyncUiActions.resolveConflict), filter(this.leads), tap(({ entityType, id, field, stamp }) => void this.host.resolveConflict(entityType, id, field, stamp))),
    { dispatch: false },
  );

  readonly dismissAll$ = createEffect(() => this.actions$.pipe(ofType(SyncUiActions.dismissAllConflicts), filter(this.leads), tap(() => void this.host.dismissAllConflicts())), { dispatch: false });

  readonly saveProvider$ = createEffect(
    () =>
      this.actions$.pipe(
        ofType(SyncUiActions.connectionSubmitted),
        filter(this.leads),
        concatMap(() => from(this.connection.connectSubmitted())),
        filter((change) => change !== null),
        tap(() => void this.host.requestSync('provider connected')),
      ),
    { dispatch: false },
  );

  readonly disconnect$ = createEffect(() => this.actions$.pipe(ofType(SyncUiActions.disconnect), filter(this.leads), switchMap(() => from(this.connection.save(null)))), { dispatch: false });

  readonly saveInterval$ = createEffect(() => this.actions$.pipe(ofType(SyncUiActions.setInterval), filter(this.leads), switchMap(({ minutes }) => from(this.remotes.saveInterval(minutes)))), { dispatch: false });

  readonly saveDeviceName$ = createEffect(() => this.actions$.pipe(ofType(SyncUiActions.setDeviceName), filter(this.leads), switchMap(({ name }) => from(this.connection.setDeviceName(name)))), { dispatch: false });

  readonly preview$ = createEffect(() => this.actions$.pipe(ofType(SyncUiActions.previewNextSync), filter(this.leads), switchMap(() => from(this.host.preview()))), { dispatch: false });
}

