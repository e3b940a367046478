import { DotRanges, ParsedDelta, RootMeta } from './remote-format';
import { RemoteStore } from './remote-store';
import { isSyncError } from './sync-error';

/**
 * Delta files are immutable and merging is a join, so a delta on the server that no root names is
 * still good data. It is left unnamed when a root is written over by a device that did not see
 * it: a server that accepts two conditional writes on one ETag (nephele, Apache under load), or a
 * lock race. Its writer repairs that when it syncs again; when the writer is never seen again
 * (a lost phone, a restore from a backup taken before the commit), only a listing finds it. So
 * every device lists `deltas/` now and then, merges what the root does not know, and writes a
 * snapshot that includes it: an acknowledged commit outlives its writer.
 *
 * An unnamed file whose writes the root already knows (a commit that lost the race and was
 * retried under another name) is garbage: it goes to the graveyard and is collected.
 */
export interface UnnamedDeltas {
  /** Unnamed deltas with writes the root does not know: merged, then carried by a snapshot. */
  readonly unknown: ReadonlyArray<{ readonly file: string; readonly delta: ParsedDelta }>;
  /** Unnamed files whose writes the root knows: safe to delete after the grace period. */
  readonly known: readonly string[];
}

/** At most this many unnamed files are read in one round; the rest wait for the next scan. */
const MAX_READ_PER_SCAN = 25;

export async function findUnnamedDeltas(
  store: RemoteStore,
  root: RootMeta,
  rootKnows: (replica: string, dots: DotRanges) => boolean,
  readDelta: (file: string) => Promise<ParsedDelta | null>,
  settled: Set<string>,
): Promise<UnnamedDeltas> {
  const named = new Set([...root.deltas.map((delta) => delta.file), ...root.graveyard.map((entry) => entry.file)]);
  const unknown: Array<{ file: string; delta: ParsedDelta }> = [];
  const known: string[] = [];
  let read = 0;
  for (const entry of await store.list('deltas')) {
    const file = entry.path;
    if (named.has(file) || settled.has(file) || !/^deltas\/[A-Za-z0-9._-]{1,160}$/.test(file)) continue;
    if (read++ >= MAX_READ_PER_SCAN) break;
    let delta: ParsedDelta | null;
    try {
      delta = await readDelta(file);
    } catch (error) {
      // A file no device could read blocks nothing: it is left where it is and not read again.
      if (isSyncError(error, 'invalid-remote-data')) {
        settled.add(file);
        continue;
      }
      throw error;
    }
    if (!delta) continue;
    if (rootKnows(delta.replica, delta.dots)) known.push(file);
    else unknown.push({ file, delta });
  }
  return { unknown, known };
}
