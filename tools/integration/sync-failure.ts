import { SyncError } from '../../src/app/sync/engine/sync-error';

/** The SyncError an action fails with; fails the test if it succeeds or throws anything else. */
export async function failure(action: () => Promise<unknown>): Promise<SyncError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw new Error(`Expected a SyncError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  throw new Error('Expected a SyncError, but the call succeeded.');
}
