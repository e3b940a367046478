import { CausalContext } from '../crdt/causal-context';
import { inParallel, MeteredStore } from '../remote/metered-store';
import { DeltaRef, RootMeta } from '../remote/remote-format';
import { ParsedDelta, ParsedSnapshot, parseDelta, parseSnapshot } from '../remote/parse-files';
import { SyncError } from '../sync-error';
import { RoundContext } from './context';
import { readFile } from './remote-files';
import { RetryRound } from './retry';

export interface Incoming {
  readonly snapshot: ParsedSnapshot | null;
  readonly deltas: ParsedDelta[];
}

/** Only what this device has not applied, with bounded parallelism; files known lost are skipped. */
export async function fetchIncoming(ctx: RoundContext, meter: MeteredStore, root: RootMeta): Promise<Incoming> {
  const applied = ctx.state.applied;
  const needSnapshot = root.snapshot !== null && !applied.covers(CausalContext.from(root.snapshot.applied));
  const inSnapshot = needSnapshot ? CausalContext.from(root.snapshot!.applied) : null;
  const covered = (delta: DeltaRef) => delta.dots.every(([from, to]) => applied.hasRange(delta.replica, from, to) || inSnapshot?.hasRange(delta.replica, from, to));
  const needed = root.deltas.filter((delta) => !ctx.observed.lostFiles.has(delta.file) && !covered(delta));
  const read = async (file: string) => {
    try {
      return await readFile(meter, file);
    } catch (error) {
      if (error instanceof RetryRound) throw new RetryRound(error.why, false, { file, commitId: root.commitId });
      throw error;
    }
  };
  const jobs: Array<() => Promise<ParsedSnapshot | ParsedDelta>> = needed.map((ref) => async () => {
    const delta = parseDelta(await read(ref.file), ref.file);
    if (delta.replica !== ref.replica) {
      throw new SyncError('invalid-remote-data', `${ref.file} on the server claims another device than meta.json says. Nothing was applied.`, { path: ref.file });
    }
    return delta;
  });
  if (needSnapshot) jobs.unshift(async () => parseSnapshot(await read(root.snapshot!.file), root.snapshot!.file));
  let done = 0;
  const progress = jobs.length > 1 ? ctx.options.onProgress : undefined;
  progress?.(0, jobs.length);
  const results = await inParallel(jobs, ctx.maxParallel, async (job) => {
    const result = await job();
    progress?.(++done, jobs.length);
    return result;
  });
  const snapshot = needSnapshot ? (results.shift() as ParsedSnapshot) : null;
  return { snapshot, deltas: results as ParsedDelta[] };
}
