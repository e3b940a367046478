import { MeteredStore } from '../remote/metered-store';
import { META_PATH, RootMeta } from '../remote/remote-format';
import { parseRoot } from '../remote/parse-files';
import { SyncError } from '../sync-error';
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
  readonly readAt: number | null;
  /** The root this device knew, when the folder has since been emptied: a new root continues it. */
  readonly reseedFrom: RootMeta | null;
}

/** SYNC.md §4.1: a conditional read, or none at all when the cached ETag is current and we commit optimistically. */
export async function readRoot(ctx: RoundContext, meter: MeteredStore, how: { optimistic: boolean; locked: boolean }): Promise<RootRead> {
  const state = ctx.state;
  const cas = state.mode === 'compare-and-swap';
  const checkedAt = ctx.observed.rootCheckedAt;
  // Optimism is bounded in time: a root read long ago may name files compaction has since removed.
  const recentlyChecked = checkedAt !== null && ctx.now() - checkedAt < ctx.graceMs / 4;
  if (how.optimistic && cas && recentlyChecked && state.root && state.rootRevision && state.hasDirty() && !state.inflight) {
    return { root: state.root, revision: state.rootRevision, fresh: false, readAt: checkedAt, reseedFrom: null };
  }
  const useConditional = cas && state.root !== null && state.rootRevision !== null && !how.locked;
  const read = await meter.read(META_PATH, useConditional ? { ifNoneMatch: state.rootRevision! } : {});
  const readAt = ctx.now();
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
    return { root: null, revision: null, fresh: true, readAt, reseedFrom: state.root };
  }
  const root = parseRoot(await decode(read.data, META_PATH));
  // A copy of meta.json this device has already moved on from (a cache or proxy in front of the
  // server): never adopted, never committed over; read again.
  if (ctx.observed.isOlderRoot(root, state.root)) throw new RetryRound('the server answered with an older copy of meta.json');
  return { root, revision: read.revision, fresh: true, readAt, reseedFrom: null };
}
