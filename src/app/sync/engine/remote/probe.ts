import { CommitMode, RemoteStore } from './remote-store';
import { isSyncError } from '../sync-error';

export interface ProbeResult {
  readonly mode: CommitMode;
  /** Why this mode, in words for the settings page. */
  readonly reason: string;
}

const encoder = new TextEncoder();

/**
 * SYNC.md §6: find out whether the remote really compares and swaps. Writes a probe file twice,
 * then tries a write with the stale revision and a create-only write: both must be refused.
 * Anything else (no revisions, revisions that do not change, a stale write accepted) means lock mode.
 */
export async function probeCommitMode(store: RemoteStore): Promise<ProbeResult> {
  const path = `probe-${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    const first = await store.write(path, encoder.encode('probe 1'));
    const second = await store.write(path, encoder.encode('probe 2'));
    if (!first.revision || !second.revision) {
      return { mode: 'lock', reason: 'The server sends no ETag or revision for files, so a write cannot be made conditional.' };
    }
    if (first.revision === second.revision) {
      return { mode: 'lock', reason: 'The server gave two different writes the same ETag, so ETags cannot tell versions apart.' };
    }
    if (!(await refused(() => store.write(path, encoder.encode('probe 3'), { ifMatch: first.revision! })))) {
      return { mode: 'lock', reason: 'The server accepted a write with an outdated If-Match, so it does not compare and swap.' };
    }
    if (!(await refused(() => store.write(path, encoder.encode('probe 4'), { createOnly: true })))) {
      return { mode: 'lock', reason: 'The server accepted a create-only write over an existing file (If-None-Match: * ignored).' };
    }
    return { mode: 'compare-and-swap', reason: 'The server refuses outdated writes (412), so devices can commit safely at the same time.' };
  } finally {
    await store.delete(path).catch(() => undefined);
  }
}

async function refused(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return false;
  } catch (error) {
    if (isSyncError(error, 'precondition-failed')) return true;
    throw error;
  }
}
