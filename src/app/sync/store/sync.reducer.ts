import { createFeature, createReducer, on } from '@ngrx/store';
import type { ConflictInfo, DeviceSeen, DryRunResult } from '../engine/sync-engine';
import { ConnectionReport, ConnectionView } from './provider-settings';
import { RoundSummary, SyncApiActions, SyncErrorInfo, SyncUiActions } from './sync.actions';

export type SyncPhase = 'starting' | 'disabled' | 'idle' | 'syncing' | 'offline' | 'error';

export interface SyncState {
  readonly phase: SyncPhase;
  /** Where this device syncs, as the UI shows it: no password, token or passphrase. */
  readonly settings: ConnectionView | null;
  readonly intervalMinutes: number;
  readonly deviceName: string;
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly lastRound: RoundSummary | null;
  readonly lastSuccessAt: number | null;
  readonly lastError: SyncErrorInfo | null;
  readonly retryInMs: number | null;
  readonly conflicts: readonly ConflictInfo[];
  readonly devices: readonly DeviceSeen[];
  readonly pendingMassDelete: { readonly incoming: number; readonly outgoing: number; readonly entities: number } | null;
  readonly connectionReport: ConnectionReport | null;
  readonly testingConnection: boolean;
  readonly preview: DryRunResult | null;
  readonly previewError: SyncErrorInfo | null;
}

/** What a tab that follows shows of the leader's sync (not its own connection test). */
export type SharedSyncState = Omit<SyncState, 'connectionReport' | 'testingConnection'>;

export function sharedSyncState({ connectionReport: _report, testingConnection: _testing, ...shared }: SyncState): SharedSyncState {
  return shared;
}

export const initialSyncState: SyncState = {
  phase: 'starting',
  settings: null,
  intervalMinutes: 5,
  deviceName: '',
  progress: null,
  lastRound: null,
  lastSuccessAt: null,
  lastError: null,
  retryInMs: null,
  conflicts: [],
  devices: [],
  pendingMassDelete: null,
  connectionReport: null,
  testingConnection: false,
  preview: null,
  previewError: null,
};

export const syncFeature = createFeature({
  name: 'sync',
  reducer: createReducer<SyncState>(
    initialSyncState,
    on(SyncApiActions.engineReady, (state, { connection: settings, intervalMinutes, deviceName, conflicts }) => ({
      ...state,
      settings,
      intervalMinutes,
      deviceName,
      conflicts,
      phase: settings ? 'idle' : 'disabled',
    })),
    on(SyncApiActions.roundStarted, (state) => ({ ...state, phase: 'syncing' as const, progress: null })),
    on(SyncApiActions.roundProgress, (state, { done, total }) => ({ ...state, progress: { done, total } })),
    on(SyncApiActions.roundSucceeded, (state, { summary, conflicts, devices }) => ({
      ...state,
      phase: 'idle' as const,
      progress: null,
      lastRound: summary,
      lastSuccessAt: summary.at,
      lastError: null,
      retryInMs: null,
      conflicts,
      devices,
      pendingMassDelete: null,
    })),
    on(SyncApiActions.roundNeedsConfirmation, (state, pending) => ({ ...state, phase: 'idle' as const, progress: null, pendingMassDelete: pending })),
    on(SyncApiActions.roundFailed, (state, { error, retryInMs }) => ({ ...state, phase: 'error' as const, progress: null, lastError: error, retryInMs })),
    on(SyncApiActions.wentOffline, (state) => ({ ...state, phase: state.settings ? ('offline' as const) : state.phase, progress: null })),
    on(SyncApiActions.conflictsChanged, (state, { conflicts }) => ({ ...state, conflicts })),
    on(SyncApiActions.leaderStateMirrored, (state, { shared }) => ({ ...state, ...shared })),
    on(SyncApiActions.providerSaved, (state, { connection: settings }) => ({
      ...state,
      settings,
      phase: settings ? ('idle' as const) : ('disabled' as const),
      lastError: null,
      lastRound: settings ? state.lastRound : null,
      devices: settings ? state.devices : [],
    })),
    on(SyncUiActions.testConnection, (state) => ({ ...state, testingConnection: true, connectionReport: null })),
    on(SyncApiActions.connectionTested, (state, { report }) => ({ ...state, testingConnection: false, connectionReport: report })),
    on(SyncUiActions.cancelMassDelete, (state) => ({ ...state, pendingMassDelete: null })),
    on(SyncUiActions.setInterval, (state, { minutes }) => ({ ...state, intervalMinutes: minutes })),
    on(SyncUiActions.setDeviceName, (state, { name }) => ({ ...state, deviceName: name })),
    on(SyncUiActions.previewNextSync, (state) => ({ ...state, preview: null, previewError: null })),
    on(SyncApiActions.previewReady, (state, { preview }) => ({ ...state, preview, previewError: null })),
    on(SyncApiActions.previewFailed, (state, { error }) => ({ ...state, previewError: error })),
  ),
});

export const {
  selectPhase: selectSyncPhase,
  selectSettings: selectSyncSettings,
  selectConflicts: selectSyncConflicts,
  selectLastRound: selectLastRound,
  selectLastError: selectSyncError,
  selectPendingMassDelete,
  selectDevices: selectSyncDevices,
  selectProgress: selectSyncProgress,
  selectLastSuccessAt,
  selectConnectionReport,
  selectTestingConnection,
  selectPreview,
  selectIntervalMinutes,
  selectDeviceName,
} = syncFeature;
