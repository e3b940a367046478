import { CausalContext } from '../crdt/causal-context';
import { inParallel, MeteredStore } from '../remote/metered-store';
import { DeltaRef, RootMeta } from '../remote/remote-format';
import { ParsedDelta, ParsedSnapshot, parseDelta, parseSnapshot } from '../remote/parse-files';
import { isSyncError, SyncError } from '../sync-error';
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
  const refused = ctx.observed.refusedFiles;
  const needed = root.deltas.filter((delta) => !ctx.observed.lostFiles.has(delta.file) && !refused.has(delta.file) && !covered(delta));
  const read = async (file: string) => {
    try {
      return await readFile(meter, file);
    } catch (error) {
      if (error instanceof RetryRound) throw new RetryRound(error.why, false, { file, commitId: root.commitId });
      throw error;
    }
  };
  const jobs: Array<() => Promise<ParsedSnapshot | ParsedDelta | null>> = needed.map((ref) => async () => {
    // An unreadable file (torn, cut off) is read again next round; one that reads but breaks the
    // format is refused for good: one foreign file must not stop the folder (docs/sync-format.md).
    const raw = await read(ref.file);
    let delta: ParsedDelta;
    try {
      delta = parseDelta(raw, ref.file);
    } catch (error) {
      if (!isSyncError(error, 'invalid-remote-data')) throw error;
      refused.set(ref.file, error.message.replace(`${ref.file} on the server is damaged or not ours: `, '').replace(/\.? Nothing was applied\.$/, ''));
      return null;
    }
    // Not refused: the file may be sound and meta.json torn (a server writing in place can leave a
    // root that is valid JSON made of two roots). The round fails; a sound root heals it.
    if (delta.replica !== ref.replica) {
      throw new SyncError('invalid-remote-data', `${ref.file} on the server claims another device than meta.json says. Nothing was applied; the next sync tries again.`, { path: ref.file });
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
  return { snapshot, deltas: results.filter((result): result is ParsedDelta => result !== null) as ParsedDelta[] };
}
