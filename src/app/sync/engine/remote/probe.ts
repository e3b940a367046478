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
 * then checks that a write with the stale revision and a create-only write are both refused, and
 * that a write with the current revision, made at once after a write, is accepted (a server with
 * weak ETags, such as Apache with `FileETag MTime Size`, refuses it for a second after each write:
 * compare-and-swap would stall there). The checks run `rounds` times, on a fresh file each time, and
 * compare-and-swap is trusted only if every run says so: a verdict that depends on timing is lock mode.
 */
export async function probeCommitMode(store: RemoteStore, rounds = 2): Promise<ProbeResult> {
  for (let round = 0; round < rounds; round++) {
    const verdict = await probeOnce(store);
    if (verdict) return { mode: 'lock', reason: verdict };
  }
  return {
    mode: 'compare-and-swap',
    reason: `The server refuses outdated writes (412) and accepts the current version at once, the same in ${rounds} runs, so devices can commit safely at the same time.`,
  };
}

/** One run of the checks: null when the server compares and swaps, else why not, in words. */
async function probeOnce(store: RemoteStore): Promise<string | null> {
  const path = `probe-${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    const first = await store.write(path, encoder.encode('probe 1'));
    const second = await store.write(path, encoder.encode('probe 2'));
    if (!first.revision || !second.revision) return 'The server sends no ETag or revision for files, so a write cannot be made conditional.';
    if (first.revision === second.revision) return 'The server gave two different writes the same ETag, so ETags cannot tell versions apart.';
    if (!(await refused(() => store.write(path, encoder.encode('probe 3'), { ifMatch: first.revision! })))) {
      return 'The server accepted a write with an outdated If-Match, so it does not compare and swap.';
    }
    if (!(await refused(() => store.write(path, encoder.encode('probe 4'), { createOnly: true })))) {
      return 'The server accepted a create-only write over an existing file (If-None-Match: * ignored).';
    }
    if (await refused(() => store.write(path, encoder.encode('probe 5'), { ifMatch: second.revision! }))) {
      return 'The server refused a write carrying the current ETag right after a write (weak ETags, such as Apache with FileETag MTime Size): compare-and-swap would stall, so devices take turns.';
    }
    return null;
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
