import { CausalContext } from '../crdt/causal-context';
import { MeteredStore } from '../remote/metered-store';
import { RootMeta } from '../remote/remote-format';
import { ParsedDelta, parseDelta } from '../remote/parse-files';
import { RemoteStore } from '../remote/remote-store';
import { isSyncError } from '../sync-error';
import { RoundContext } from './context';
import { readFile } from './remote-files';
import { RetryRound } from './retry';

/**
 * Delta files are immutable and merging is a join, so a delta on the server that no
 * root names is still good data. It is left unnamed when a root is written over by a device that
 * did not see it: a server that accepts two conditional writes on one ETag (nephele, Apache under
 * load), or a lock race. Its writer repairs that when it syncs again; when the writer is never
 * seen again (a lost phone, a restore from a backup taken before the commit), only a listing
 * finds it. So every device lists `deltas/` now and then, merges what the root does not know, and
 * writes a snapshot that includes it: an acknowledged commit outlives its writer. An unnamed
 * snapshot is not merged (see findUnnamedFiles); that case is still open.
 *
 * An unnamed file whose writes the root already knows (a commit that lost the race and was
 * retried under another name) is garbage: it goes to the graveyard and is collected.
 */
export interface UnnamedFile {
  readonly file: string;
  readonly delta: ParsedDelta;
}

export interface UnnamedFiles {
  /** Unnamed files with writes the root does not know: merged, then carried by a snapshot. */
  readonly unknown: readonly UnnamedFile[];
  /** Unnamed files whose writes the root knows: safe to delete after the grace period. */
  readonly known: readonly string[];
}

/** At most this many unnamed files are read in one round; the rest wait for the next scan. */
const MAX_READ_PER_SCAN = 25;
const DELTA_FILE = /^deltas\/[A-Za-z0-9._-]{1,160}$/;

export async function findUnnamedFiles(
  store: RemoteStore,
  root: RootMeta | null,
  known: CausalContext,
  read: (file: string) => Promise<UnnamedFile | null>,
  settled: Set<string>,
): Promise<UnnamedFiles> {
  const named = new Set(root ? [...root.deltas.map((delta) => delta.file), ...(root.snapshot ? [root.snapshot.file] : []), ...root.graveyard.map((entry) => entry.file)] : []);
  const unknown: UnnamedFile[] = [];
  const knownFiles: string[] = [];
  let reads = 0;
  // Only deltas: an unnamed snapshot may hold values that writes since have replaced, and a device
  // restored from an older backup no longer remembers having seen them (docs/decisions.md).
  const listed = await store.list('deltas');
  for (const entry of listed) {
    const file = entry.path;
    if (named.has(file) || settled.has(file) || !DELTA_FILE.test(file)) continue;
    if (reads++ >= MAX_READ_PER_SCAN) break;
    let found: UnnamedFile | null;
    try {
      found = await read(file);
    } catch (error) {
      // A file no device could read blocks nothing: it is left where it is and not read again.
      if (isSyncError(error, 'invalid-remote-data')) {
        settled.add(file);
        continue;
      }
      throw error;
    }
    if (!found) continue;
    if (found.delta.dots.every(([from, to]) => known.hasRange(found.delta.replica, from, to))) knownFiles.push(file);
    else unknown.push(found);
  }
  return { unknown, known: knownFiles };
}

/** List deltas/ and read what no root names; remembers what is garbage and whether work is left. */
export async function scanUnnamed(ctx: RoundContext, meter: MeteredStore, root: RootMeta | null, known: CausalContext): Promise<readonly UnnamedFile[]> {
  ctx.observed.noteUnnamedScan();
  const read = async (file: string): Promise<UnnamedFile | null> => {
    try {
      return { file, delta: parseDelta(await readFile(meter, file), file) };
    } catch (error) {
      if (error instanceof RetryRound) return null; // deleted meanwhile: a compaction collected it
      throw error;
    }
  };
  const found = await findUnnamedFiles(meter, root, known, read, ctx.observed.settledUnnamed);
  for (const file of found.known) ctx.observed.unnamedGarbage.add(file);
  ctx.observed.unnamedPending = found.unknown.length > 0;
  return found.unknown;
}
