import type { CommitMode } from '../engine/remote/remote-store';
import type { ConflictValue, DeviceSeen, EntityCounts } from '../engine/sync-engine';
import type { ConnectionReport } from '../store/provider-settings';
import type { RoundSummary, SyncErrorInfo } from '../store/sync.actions';
import { formatDuration, plural } from '../../pages/shared/format';

/** The words the sync UI shows: one place, so the indicator, settings and dialogs say the same thing. */

const TYPE_ORDER = ['task', 'project', 'tag', 'metric'] as const;
const TYPE_NOUN: Record<string, [string, string]> = {
  task: ['task', 'tasks'],
  project: ['project', 'projects'],
  tag: ['tag', 'tags'],
  metric: ['day of metrics', 'days of metrics'],
};

/** "1 task", "3 projects", "2 days of metrics". */
export function countOf(type: string, n: number): string {
  const [one, many] = TYPE_NOUN[type] ?? [type, `${type}s`];
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 tasks, 1 project" for every type with a non-zero count; '' when all are zero. */
export function describeCounts(counts: Partial<EntityCounts>): string {
  return TYPE_ORDER.filter((type) => (counts[type] ?? 0) > 0)
    .map((type) => countOf(type, counts[type] ?? 0))
    .join(', ');
}

/**
 * The toolbar's short line: "Received 3 items · sent 1 item", or "Up to date". The same totals
 * as the menu's breakdown (`describeRoundDirections`), each direction counted once.
 */
export function describeRound(summary: Pick<RoundSummary, 'received' | 'sent'>): string {
  const total = (counts: Partial<EntityCounts> | undefined) => TYPE_ORDER.reduce((sum, type) => sum + (counts?.[type] ?? 0), 0);
  const received = total(summary.received);
  const sent = total(summary.sent);
  const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;
  if (!received && !sent) return 'Up to date';
  return [received && `received ${items(received)}`, sent && `sent ${items(sent)}`].filter(Boolean).join(' · ').replace(/^./, (c) => c.toUpperCase());
}

/** "Received 2 tasks · sent 1 project", for the menu's detail line. */
export function describeRoundDirections(summary: Pick<RoundSummary, 'received' | 'sent'>): string {
  const received = describeCounts(summary.received ?? {});
  const sent = describeCounts(summary.sent ?? {});
  if (!received && !sent) return 'Nothing to send or receive';
  return [received && `received ${received}`, sent && `sent ${sent}`].filter(Boolean).join(' · ').replace(/^./, (c) => c.toUpperCase());
}

/** "just now", "3 min ago", "2 h ago", "yesterday", "on 24 Nov". */
export function relativeTime(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return `on ${new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}`;
}

/** "25 Nov, 14:03": an exact moment for tooltips and the conflict dialog. */
export function exactTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

const SHORT_ERROR: Record<string, string> = {
  auth: 'Login refused',
  'folder-missing': 'Sync folder missing',
  'storage-full': 'Storage full',
  server: 'Server error',
  offline: 'Server unreachable',
  timeout: 'Server too slow',
  cors: 'Blocked by the browser (CORS)',
  'rate-limited': 'Too many requests',
  'format-too-new': 'Remote needs a newer app',
  'invalid-remote-data': 'Remote data unreadable',
  'remote-busy': 'Another device is syncing',
  encryption: 'Wrong passphrase',
  'too-much-contention': 'Too many devices at once',
  'precondition-failed': 'Another device wrote first',
  unexpected: 'Sync failed',
};

/** A few words for the toolbar; the full message goes in the menu. */
export function shortError(error: Pick<SyncErrorInfo, 'code'>): string {
  return SHORT_ERROR[error.code] ?? 'Sync failed';
}

/** What a person can do about an error, when the message alone does not say it. */
export function errorHint(code: string | undefined): string {
  switch (code) {
    case 'auth':
      return 'Check the user name and password (or connect Dropbox again).';
    case 'cors':
      return 'The server must allow this site (CORS): the methods GET, HEAD, PUT, DELETE, PROPFIND, MKCOL, OPTIONS, the headers Authorization, Content-Type, Depth, If-Match, If-None-Match, and expose ETag.';
    case 'folder-missing':
      return 'Check the URL: it must point to a folder (share) that exists on the server.';
    case 'offline':
      return 'Check the URL and that the server is running and reachable from this device.';
    case 'format-too-new':
      return 'Update the app on this device; the remote was left untouched.';
    case 'encryption':
      return 'Every device needs the same encryption passphrase.';
    case 'storage-full':
      return 'Free some space on the server.';
    default:
      return '';
  }
}

/** The hint for an error, unless its message already says what to check. */
export function hintBeyond(error: { readonly code?: string; readonly errorCode?: string; readonly message: string } | null | undefined): string {
  if (!error) return '';
  const hint = errorHint(error.code ?? error.errorCode);
  return hint && !/\bcheck\b/i.test(error.message) ? hint : '';
}

/** What a commit mode means, in words. */
export function describeMode(mode: CommitMode | undefined): { title: string; detail: string } | null {
  if (mode === 'compare-and-swap') {
    return {
      title: 'Safe concurrent writes (compare-and-swap)',
      detail: 'The server refuses a write based on an outdated version, so devices can sync at the same moment without overwriting each other.',
    };
  }
  if (mode === 'lock') {
    return {
      title: 'Lock mode',
      detail: 'This server cannot refuse an outdated write, so devices take turns writing. Syncs are a little slower, but nothing is lost.',
    };
  }
  return null;
}

/** The connection report as a heading; the report's own message is the detail. */
export function describeReport(report: ConnectionReport): string {
  if (!report.ok) return `The connection failed${report.errorCode === 'auth' ? ': the server refused the login' : ''}`;
  return report.mode === 'lock' ? 'Connected, in lock mode' : 'Connected';
}

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  notes: 'Notes',
  isDone: 'Done',
  doneOn: 'Done on',
  projectId: 'Project',
  parentId: 'Parent task',
  timeEstimate: 'Estimate',
  timeSpent: 'Time spent',
  dueDay: 'Due day',
  created: 'Created',
  theme: 'Colour',
  color: 'Colour',
  isArchived: 'Archived',
  mood: 'Mood',
  productivity: 'Productivity',
  tagIds: 'Tag',
  subTaskIds: 'Subtask',
  taskIds: 'Task',
  backlogTaskIds: 'Backlog task',
};

export const DELETE_VS_EDIT = '_del';

/** "Title", "Time spent on 2026-11-24", "Deleted on one device, edited on another". */
export function fieldLabel(field: string): string {
  if (field === DELETE_VS_EDIT) return 'Deleted on one device, edited on another';
  const slash = field.indexOf('/');
  if (slash > 0) {
    const base = field.slice(0, slash);
    const element = field.slice(slash + 1);
    if (base === 'timeSpentOnDay') return `Time spent on ${element}`;
    return `${FIELD_LABELS[base] ?? base} ${element}`;
  }
  return FIELD_LABELS[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

const DURATION_FIELDS = new Set(['timeEstimate', 'timeSpent', 'timeSpentOnDay']);
const MOMENT_FIELDS = new Set(['doneOn', 'created']);

/** A register value as a person reads it: booleans in words, durations, dates, maps as lines. */
export function formatValue(field: string, value: unknown): string {
  const base = field.split('/')[0];
  if (field === DELETE_VS_EDIT) return value === true ? 'Deleted' : 'Kept, with an edit';
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'boolean') {
    if (base === 'isDone') return value ? 'Done' : 'Not done';
    if (base === 'isArchived') return value ? 'Archived' : 'Not archived';
    if (field.includes('/')) return value ? 'Present' : 'Removed';
    return value ? 'Yes' : 'No';
  }
  if (typeof value === 'number') {
    if (DURATION_FIELDS.has(base)) return formatDuration(value) || (value === 0 ? 'none' : `${Math.round(value / 1000)} s`);
    if (MOMENT_FIELDS.has(base)) return exactTime(value);
    return String(value);
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length ? value.map((item) => formatValue(base, item)).join(', ') : '(none)';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return '(none)';
    return entries.map(([key, item]) => `${key}: ${formatValue(DURATION_FIELDS.has(base) ? base : key, item)}`).join('\n');
  }
  return String(value);
}

/** "Laptop (this device)", a device's name, or its short id when it never told one. */
export function deviceName(replica: string, devices: readonly DeviceSeen[]): string {
  // A device writes under a new id each time it opens (`<device>.<nonce>`); its entry names the latest.
  const device = devices.find((d) => d.replica === replica) ?? devices.find((d) => d.replica.split('.')[0] === replica.split('.')[0]);
  if (!device) return `Device ${replica.slice(0, 8)}`;
  return device.isThisDevice ? `${device.name || 'This device'} (this device)` : device.name || `Device ${replica.slice(0, 8)}`;
}

/** The value in effect: for a delete against an edit the edit wins (the entity stays), otherwise the shown one. */
export function effectiveValue(field: string, shown: ConflictValue, others: readonly ConflictValue[]): ConflictValue {
  if (field === DELETE_VS_EDIT && shown.value === true) return others.find((other) => other.value !== true) ?? shown;
  return shown;
}

export { plural };
