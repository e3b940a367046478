import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { Store } from '@ngrx/store';
import { SyncUiActions } from '../store/sync.actions';
import {
  selectLastRound,
  selectLastSuccessAt,
  selectPendingMassDelete,
  selectSyncConflicts,
  selectSyncError,
  selectSyncPhase,
  selectSyncProgress,
  selectSyncSettings,
  syncFeature,
} from '../store/sync.reducer';
import { SyncDialogs } from './sync-dialogs.service';
import { describeRound, describeRoundDirections, exactTime, hintBeyond, relativeTime, shortError } from './sync-text';

/** What the indicator shows; `data-state` on the host element, for people's eyes and tests alike. */
export type IndicatorState = 'starting' | 'disabled' | 'idle' | 'syncing' | 'synced' | 'waiting' | 'offline' | 'error';

const ICON: Record<IndicatorState, string> = {
  starting: 'cloud_queue',
  disabled: 'cloud_off',
  idle: 'cloud_queue',
  syncing: 'sync',
  synced: 'cloud_done',
  waiting: 'pending',
  offline: 'wifi_off',
  error: 'sync_problem',
};

/** Refresh "2 min ago" this often. */
const CLOCK_TICK_MS = 15_000;

/** The toolbar's sync indicator: state in a word or two, a menu with the details and what to do. */
@Component({
  selector: 'app-sync-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatIconModule, MatMenuModule, MatTooltipModule, MatProgressSpinnerModule, MatDividerModule, RouterLink],
  host: {
    'data-testid': 'sync-status',
    '[attr.data-state]': 'state()',
    '[attr.data-conflicts]': 'conflictCount()',
    '[attr.data-synced-at]': 'lastSuccessAt() ?? null',
  },
  template: `
    <span class="visually-hidden" aria-live="polite" role="status" data-testid="sync-status-text">{{ liveText() }}</span>
    @if (state() === 'disabled') {
      <a mat-button routerLink="/settings" class="status disabled" data-testid="sync-status-button"
         matTooltip="Sync between devices is off. Open the sync settings to connect WebDAV or Dropbox.">
        <mat-icon>cloud_off</mat-icon><span class="label">Sync off</span>
      </a>
    } @else {
      <button mat-button class="status" [attr.data-state]="state()" [matMenuTriggerFor]="menu" data-testid="sync-status-button"
              [attr.aria-label]="'Sync: ' + liveText() + '. Open the sync menu'">
        @if (state() === 'syncing') {
          <mat-progress-spinner mode="indeterminate" diameter="18" strokeWidth="2.5" aria-hidden="true"></mat-progress-spinner>
        } @else {
          <mat-icon>{{ icon() }}</mat-icon>
        }
        <span class="label" data-testid="sync-status-label">{{ label() }}</span>
        @if (when()) {
          <span class="when" data-testid="sync-status-when">· {{ when() }}</span>
        }
      </button>
    }
    @if (conflictCount()) {
      <button mat-icon-button class="badge" (click)="dialogs.openConflicts()" data-testid="sync-conflicts-badge"
              [matTooltip]="conflictWords() + ': review'" [attr.aria-label]="conflictWords() + ': review'">
        <span class="count">{{ conflictCount() }}</span>
      </button>
    }

    <mat-menu #menu="matMenu" xPosition="before" class="sync-menu">
      <div class="menu-detail" (click)="$event.stopPropagation()" data-testid="sync-menu-detail">
        @switch (state()) {
          @case ('error') {
            <div class="detail-head error"><mat-icon>sync_problem</mat-icon>{{ errorShort() }}</div>
            <p class="message" data-testid="sync-error-message">{{ error()?.message }}</p>
            @if (errorHint()) {
              <p class="hint">{{ errorHint() }}</p>
            }
            @if (retryIn()) {
              <p class="hint">Tries again by itself {{ retryIn() }}.</p>
            }
          }
          @case ('offline') {
            <div class="detail-head"><mat-icon>wifi_off</mat-icon>Offline</div>
            <p class="hint">Changes stay in this browser and sync when the network is back.</p>
          }
          @case ('waiting') {
            <div class="detail-head"><mat-icon>pending</mat-icon>Waiting for you</div>
            <p class="hint">The last sync would delete many items; it waits for your answer.</p>
          }
          @case ('syncing') {
            <div class="detail-head"><mat-icon>sync</mat-icon>{{ label() }}</div>
          }
          @default {
            @if (lastRound(); as round) {
              <div class="detail-head"><mat-icon>cloud_done</mat-icon>{{ directions() }}</div>
              <p class="hint">Last sync {{ exactTime(round.at) }}</p>
              @for (skipped of round.refused ?? []; track skipped.file) {
                <p class="hint refused" data-testid="sync-refused">
                  Skipped {{ skipped.file }}, which this app cannot read ({{ skipped.why }}). Everything else is synced; the file is left on the server as it is.
                </p>
              }
            } @else {
              <div class="detail-head"><mat-icon>cloud_queue</mat-icon>Not synced yet</div>
            }
          }
        }
        @if (target(); as t) {
          <p class="target" data-testid="sync-menu-target">{{ t }}</p>
        }
      </div>
      <mat-divider></mat-divider>
      <button mat-menu-item (click)="syncNow()" data-testid="sync-now">
        <mat-icon>sync</mat-icon><span>{{ state() === 'error' ? 'Retry now' : 'Sync now' }}</span>
      </button>
      @if (conflictCount()) {
        <button mat-menu-item (click)="dialogs.openConflicts()" data-testid="sync-review-conflicts">
          <mat-icon>call_split</mat-icon><span>Review conflicts ({{ conflictCount() }})</span>
        </button>
      }
      <a mat-menu-item routerLink="/settings" data-testid="sync-open-settings"><mat-icon>settings</mat-icon><span>Sync settings</span></a>
    </mat-menu>
  `,
  styles: `
    :host { display: inline-flex; align-items: center; gap: 2px; margin-right: 4px; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .status { --mat-button-text-label-text-color: var(--mat-sys-on-surface-variant); max-width: 420px; }
    .status mat-icon, .status mat-progress-spinner { margin-right: 6px; }
    .status mat-progress-spinner { display: inline-block; vertical-align: middle; }
    .status .label { font-weight: 500; }
    .status .when { margin-left: 4px; font-weight: 400; opacity: .75; }
    .status mat-icon { color: var(--mat-sys-on-surface-variant); }
    .status[data-state='synced'] mat-icon { color: var(--mat-sys-primary); }
    .status[data-state='error'], .status[data-state='error'] mat-icon { color: var(--mat-sys-error); }
    .status[data-state='offline'], .status[data-state='offline'] mat-icon, .status.disabled, .status.disabled mat-icon { color: var(--mat-sys-outline); }
    .status[data-state='waiting'], .status[data-state='waiting'] mat-icon { color: var(--mat-sys-tertiary); }
    @media (max-width: 600px) {
      .status .when { display: none; }
      .status .label { display: inline-block; max-width: 140px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: middle; }
    }
    .badge { width: 28px; height: 28px; padding: 0; display: inline-flex; align-items: center; justify-content: center; }
    .badge .count {
      display: inline-flex; align-items: center; justify-content: center; min-width: 20px; height: 20px; padding: 0 5px; box-sizing: border-box;
      border-radius: 10px; background: var(--mat-sys-tertiary); color: var(--mat-sys-on-tertiary); font: var(--mat-sys-label-medium);
    }
    .menu-detail { padding: 8px 16px 8px; max-width: 320px; cursor: default; }
    .detail-head { display: flex; align-items: center; gap: 8px; font: var(--mat-sys-title-small); }
    .detail-head mat-icon { font-size: 20px; width: 20px; height: 20px; color: var(--mat-sys-primary); }
    .detail-head.error, .detail-head.error mat-icon { color: var(--mat-sys-error); }
    .message { font: var(--mat-sys-body-medium); margin: 6px 0 0; word-break: break-word; }
    .hint, .target { font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); margin: 6px 0 0; }
    .target { padding: 6px 8px; border-radius: 8px; background: var(--mat-sys-surface-container); }
  `,
})
export class SyncStatusComponent {
  private readonly store = inject(Store);
  protected readonly dialogs = inject(SyncDialogs);
  protected readonly exactTime = exactTime;

  private readonly phase = this.store.selectSignal(selectSyncPhase);
  private readonly progress = this.store.selectSignal(selectSyncProgress);
  private readonly pending = this.store.selectSignal(selectPendingMassDelete);
  private readonly settings = this.store.selectSignal(selectSyncSettings);
  private readonly retryInMs = this.store.selectSignal(syncFeature.selectRetryInMs);
  protected readonly lastRound = this.store.selectSignal(selectLastRound);
  protected readonly lastSuccessAt = this.store.selectSignal(selectLastSuccessAt);
  protected readonly error = this.store.selectSignal(selectSyncError);
  private readonly conflicts = this.store.selectSignal(selectSyncConflicts);
  private readonly now = signal(Date.now());

  protected readonly conflictCount = computed(() => this.conflicts().length);
  protected readonly conflictWords = computed(() => `${this.conflictCount()} open ${this.conflictCount() === 1 ? 'conflict' : 'conflicts'}`);

  protected readonly state = computed<IndicatorState>(() => {
    const phase = this.phase();
    if (phase === 'idle') return this.pending() ? 'waiting' : this.lastRound() ? 'synced' : 'idle';
    return phase;
  });

  protected readonly icon = computed(() => ICON[this.state()]);

  protected readonly label = computed(() => {
    switch (this.state()) {
      case 'starting':
        return 'Starting sync…';
      case 'disabled':
        return 'Sync off';
      case 'idle':
        return 'Sync on';
      case 'syncing': {
        const progress = this.progress();
        return progress && progress.total > 0 ? `Syncing ${progress.done} of ${progress.total}` : 'Syncing…';
      }
      case 'synced':
        return describeRound(this.lastRound()!);
      case 'waiting':
        return 'Sync needs you';
      case 'offline':
        return 'Offline';
      case 'error':
        return this.error() ? shortError(this.error()!) : 'Sync failed';
    }
  });

  /** "3 min ago", beside the label while nothing is happening. */
  protected readonly when = computed(() => {
    const at = this.lastSuccessAt();
    const state = this.state();
    if (at === null || state === 'syncing' || state === 'disabled' || state === 'starting') return '';
    const ago = relativeTime(at, Math.max(this.now(), at));
    return state === 'synced' ? ago : `last synced ${ago}`;
  });

  /** What the screen reader hears: the state without the ticking time, so it speaks only on change. */
  protected readonly liveText = computed(() => {
    const base = this.state() === 'error' ? `Sync failed: ${this.label()}` : this.label();
    return this.conflictCount() ? `${base}. ${this.conflictWords()}` : base;
  });

  protected readonly directions = computed(() => {
    const round = this.lastRound();
    return round ? describeRoundDirections(round) : '';
  });
  protected readonly errorShort = computed(() => (this.error() ? shortError(this.error()!) : ''));
  protected readonly errorHint = computed(() => hintBeyond(this.error()));
  protected readonly retryIn = computed(() => {
    const ms = this.retryInMs();
    const error = this.error();
    if (!ms || !error) return '';
    const left = error.at + ms - this.now();
    return left > 0 ? `in about ${Math.max(1, Math.round(left / 1000))} s` : '';
  });

  protected readonly target = computed(() => {
    const settings = this.settings();
    if (!settings) return '';
    if (settings.provider === 'webdav' && settings.isDefaultTarget) return `Syncing to the local WebDAV server started by npm start (${settings.url}).`;
    if (settings.provider === 'webdav') return `Syncing to WebDAV at ${settings.url}`;
    return settings.accountName ? `Syncing to Dropbox (${settings.accountName})` : 'Syncing to Dropbox';
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    const timer = setInterval(() => this.now.set(Date.now()), CLOCK_TICK_MS);
    destroyRef.onDestroy(() => clearInterval(timer));
    this.dialogs.watchMassDelete(destroyRef);
  }

  protected syncNow(): void {
    this.store.dispatch(SyncUiActions.syncNow());
  }
}
