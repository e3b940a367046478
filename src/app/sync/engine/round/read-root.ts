import { MeteredStore } from '../remote/metered-store';
import { RootCheck } from './observations';
import { META_PATH, RootMeta } from '../remote/remote-format';
import { parseRoot } from '../remote/parse-files';
import { SyncError, isSyncError } from '../sync-error';
import { RoundContext } from './context';
import { decode, folderHoldsSyncFiles } from './remote-files';
import { RetryRound } from './retry';

/** The root as one attempt sees it. Nothing here is adopted: the attempt adopts it, or forgets it. */
export interface RootRead {
  readonly root: RootMeta | null;
  readonly revision: string | null;
  /** False when the cached root was used unread, to commit optimistically on its ETag. */
  readonly fresh: boolean;
  /** When it was read (this device's clock); it counts as checked only once adopted. */
  readonly readAt: RootCheck | null;
  /** The root this device knew, when the folder has since been emptied: a new root continues it. */
  readonly reseedFrom: RootMeta | null;
  /**
   * meta.json is unreadable (a write torn by a server that writes in place, or cut off): `root` is
   * this device's last adopted root, `revision` the damaged file's, and the round must write a new
   * root over it, with every delta no root it knows names merged (the damaged root's own commits).
   */
  readonly damaged?: boolean;
}

/** SYNC.md §4.1: a conditional read, or none at all when the cached ETag is current and we commit optimistically. */
export async function readRoot(ctx: RoundContext, meter: MeteredStore, how: { optimistic: boolean; locked: boolean }): Promise<RootRead> {
  const state = ctx.state;
  const cas = state.mode === 'compare-and-swap';
  const checkedAt = ctx.observed.rootCheckedAt;
  // Optimism is bounded in time: a root read long ago may name files compaction has since removed.
  // On both clocks: a wall clock set back, or a monotonic one that stood still while the machine slept, is not "recent".
  const recentlyChecked = ctx.observed.rootCheckedWithin(ctx.now(), ctx.graceMs / 4);
  if (how.optimistic && cas && recentlyChecked && checkedAt && state.root && state.rootRevision && state.hasDirty() && !state.inflight) {
    return { root: state.root, revision: state.rootRevision, fresh: false, readAt: checkedAt, reseedFrom: null };
  }
  const useConditional = cas && state.root !== null && state.rootRevision !== null && !how.locked;
  const read = await meter.read(META_PATH, useConditional ? { ifNoneMatch: state.rootRevision! } : {});
  const readAt = ctx.observed.checkNow(ctx.now());
  if (read.status === 'not-modified') return { root: state.root, revision: state.rootRevision, fresh: true, readAt, reseedFrom: null };
  if (read.status === 'not-found') {
    // A device that knew a root never answers a missing meta.json with a brand-new one while the
    // folder still holds sync files: one spurious 404 would otherwise replace everything.
    if (state.root !== null && (await folderHoldsSyncFiles(meter))) {
      throw new SyncError(
        'server',
        'The server answered that the sync index is missing, although the sync folder still holds synced files: most likely a passing fault of the server. Nothing was written; the next sync tries again.',
        { path: META_PATH },
      );
    }
    // A device that knew none (new, or restored from an empty backup) in lock mode, where the new
    // root is written unconditionally, asks twice when the folder holds a snapshot: a snapshot is
    // named by a root, so a 404 is most likely a passing fault, and one would replace everything.
    // (Asked twice, the folder may really have lost its root, as when its writer died between the
    // two writes; with compare-and-swap the new root is written create-only.)
    if (state.root === null && state.mode === 'lock' && !ctx.observed.rootMissingOnce && (await folderHoldsSyncFiles(meter, ['snapshots']))) {
      ctx.observed.rootMissingOnce = true;
      throw new RetryRound('meta.json is missing although the folder holds a snapshot: reading it again');
    }
    return { root: null, revision: null, fresh: true, readAt, reseedFrom: state.root };
  }
  let raw: unknown;
  try {
    raw = await decode(read.data, META_PATH);
  } catch (error) {
    if (!isSyncError(error, 'invalid-remote-data')) throw error;
    return damagedRoot(ctx, meter, read.revision, readAt);
  }
  const root = parseRoot(raw);
  ctx.observed.rootMissingOnce = false;
  // A copy of meta.json this device has already moved on from (a cache or proxy in front of the
  // server): never adopted, never committed over; read again.
  if (ctx.observed.isOlderRoot(root, state.root)) throw new RetryRound('the server answered with an older copy of meta.json');
  return { root, revision: read.revision, fresh: true, readAt, reseedFrom: null };
}

/**
 * A meta.json that cannot be read must not stop sync for good. A device may repair it from the root
 * it adopted last only when no snapshot has been written since (a snapshot it does not know may
 * hold data whose deltas are gone, and unnamed snapshots are never merged): then every commit the
 * damaged root named is either in that root or a delta no root names, which the round merges.
 */
async function damagedRoot(ctx: RoundContext, meter: MeteredStore, revision: string | null, readAt: RootCheck): Promise<RootRead> {
  const known = ctx.state.root;
  const mine = new Set(known ? [known.snapshot?.file, ...known.graveyard.map((entry) => entry.file)] : []);
  const newer = known ? (await meter.list('snapshots')).filter((entry) => !mine.has(entry.path)) : [];
  if (!known || newer.length > 0) {
    throw new SyncError(
      'server',
      'meta.json on the server is not readable (truncated or garbled, for example by a write the server did not finish). A device that synced more recently repairs it at its next sync; nothing was changed here.',
      { path: META_PATH },
    );
  }
  return { root: known, revision, fresh: true, readAt, reseedFrom: null, damaged: true };
}
