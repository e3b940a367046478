import { isSyncError } from '../engine/sync-error';
import { SyncErrorInfo } from './sync.actions';

/** A sync failure as the store and the UI keep it: a code and words a person can act on. */
export function errorInfo(error: unknown, at: number): SyncErrorInfo {
  if (isSyncError(error)) return { code: error.code, message: error.message, at };
  return { code: 'unexpected', message: `Sync stopped on an unexpected problem: ${error instanceof Error ? error.message : String(error)}`, at };
}
