import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { ConflictInfo, DeviceSeen, DryRunResult, RoundResult } from '../engine/sync-engine';
import type { SyncErrorCode } from '../engine/sync-error';
import type { ConnectionReport, ConnectionView } from './provider-settings';
import type { SharedSyncState } from './sync.reducer';

export interface RoundSummary {
  readonly status: RoundResult['status'];
  readonly received: RoundResult['received'];
  readonly sent: RoundResult['sent'];
  readonly newConflicts: number;
  readonly requests: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly at: number;
  /** Files on the server the round skipped because they break the format (written by other software), with why. */
  readonly refused?: RoundResult['refused'];
}

export interface SyncErrorInfo {
  readonly code: SyncErrorCode | 'unexpected';
  readonly message: string;
  readonly at: number;
}

/** What the person asks for (toolbar, settings page, dialogs). */
export const SyncUiActions = createActionGroup({
  source: 'Sync UI',
  events: {
    'Sync Now': emptyProps(),
    /** A tab that does not lead asks the leader to look for other devices' changes (it polls, or gained focus). */
    'Check For Changes': props<{ reason: string }>(),
    'Confirm Mass Delete': emptyProps(),
    'Cancel Mass Delete': emptyProps(),
    'Resolve Conflict': props<{ entityType: ConflictInfo['type']; id: string; field: string; stamp: string }>(),
    'Dismiss All Conflicts': emptyProps(),
    /** Settings to connect to were stored (SyncConnection.submit): the tab that leads connects. No secrets travel in actions. */
    'Connection Submitted': emptyProps(),
    'Test Connection': emptyProps(),
    'Disconnect': emptyProps(),
    'Set Interval': props<{ minutes: number }>(),
    'Set Device Name': props<{ name: string }>(),
    'Preview Next Sync': emptyProps(),
  },
});

/** What the sync machinery reports. */
export const SyncApiActions = createActionGroup({
  source: 'Sync API',
  events: {
    'Engine Ready': props<{ connection: ConnectionView | null; intervalMinutes: number; deviceName: string; conflicts: ConflictInfo[] }>(),
    'Round Started': props<{ reason: string }>(),
    'Round Progress': props<{ done: number; total: number }>(),
    'Round Succeeded': props<{ summary: RoundSummary; conflicts: ConflictInfo[]; devices: DeviceSeen[] }>(),
    'Round Needs Confirmation': props<{ incoming: number; outgoing: number; entities: number }>(),
    'Round Failed': props<{ error: SyncErrorInfo; retryInMs: number | null }>(),
    'Went Offline': emptyProps(),
    'Local Changes Recorded': props<{ count: number }>(),
    'Conflicts Changed': props<{ conflicts: ConflictInfo[] }>(),
    'Provider Saved': props<{ connection: ConnectionView | null }>(),
    /** In a tab that follows: the leading tab's sync state (tabs/). */
    'Leader State Mirrored': props<{ shared: SharedSyncState }>(),
    'Connection Tested': props<{ report: ConnectionReport }>(),
    'Preview Ready': props<{ preview: DryRunResult }>(),
    'Preview Failed': props<{ error: SyncErrorInfo }>(),
  },
});
