import { MeteredStore } from '../remote/metered-store';
import { isSyncError, SyncError } from '../sync-error';
import { RoundResult, SyncOptions } from '../types';
import { Adoptions } from './adoptions';
import { attempt } from './attempt';
import { RoundContext } from './context';
import { RetryRound } from './retry';

/**
 * A sync round: attempts until one finishes, each on a fresh read of the root once one failed,
 * under the lock in lock mode, with a growing random pause between them.
 */
export async function runRound(ctx: RoundContext, options: SyncOptions): Promise<RoundResult> {
  const adoptions = new Adoptions(ctx.state.view.size);
  try {
    return await attempts(ctx, options, adoptions);
  } catch (error) {
    // A round that fails after an attempt adopted something still tells the app what it adopted.
    if (isSyncError(error) && !adoptions.isEmpty) error.adopted = adoptions.changes;
    throw error;
  }
}

async function attempts(ctx: RoundContext, options: SyncOptions, adoptions: Adoptions): Promise<RoundResult> {
  const meter = new MeteredStore(ctx.options.store);
  const maxAttempts = ctx.options.maxAttempts ?? 6;
  let needLock = false;
  let forceRead = false;
  const missedOnce = new Set<string>();
  for (let tries = 0; ; tries++) {
    let lock: string | null = null;
    try {
      if (ctx.state.mode === 'lock' && (needLock || options.rewrite || ctx.state.hasDirty())) lock = await ctx.lock.acquire(meter);
      const result = await attempt(ctx, meter, options, { optimistic: tries === 0 && !forceRead, lock, adoptions });
      if (lock) await ctx.lock.release(meter, lock);
      return result;
    } catch (error) {
      if (lock) await ctx.lock.release(meter, lock).catch(() => undefined);
      // A round that failed may have read a root it never adopted: the next one reads again.
      ctx.observed.rootCheckedAt = null;
      if (!(error instanceof RetryRound)) throw error;
      if (error.missing) noteMissing(ctx, error.missing, missedOnce);
      needLock = needLock || error.needLock;
      forceRead = true;
      if (tries + 1 >= maxAttempts) {
        throw new SyncError('too-much-contention', `Other devices kept changing the sync folder at the same time (${error.why}). The next sync tries again.`);
      }
      if (!error.needLock) await ctx.sleep(Math.round((50 << Math.min(tries, 6)) * (0.5 + ctx.random())));
    }
  }
}

/**
 * Missing once may be a compaction racing us; missing again under the very same root is a file
 * the server never stored (or lost): the root is healed by a snapshot without it.
 */
function noteMissing(ctx: RoundContext, missing: { readonly file: string; readonly commitId: string }, missedOnce: Set<string>): void {
  const key = `${missing.file}|${missing.commitId}`;
  if (missedOnce.has(key)) {
    // Only a device holding everything could replace a snapshot; this one says so and reads again next time.
    if (missing.file.startsWith('snapshots/')) {
      throw new SyncError(
        'server',
        `The server does not have the snapshot the sync index names (${missing.file}). A device that holds all the data replaces it when it syncs; nothing was changed here.`,
        { path: missing.file },
      );
    }
    ctx.observed.lostFiles.add(missing.file);
  }
  missedOnce.add(key);
}
