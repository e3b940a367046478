import { CausalContext } from '../crdt/causal-context';
import { DotRanges, META_PATH, RootMeta } from '../remote/remote-format';
import { SyncError } from '../sync-error';

export interface RootKnowledge {
  /** Every write the root's snapshot and deltas carry. */
  readonly known: CausalContext;
  has(file: string): boolean;
  includes(replica: string, dots: DotRanges): boolean;
}

/** What a root makes known: the files it names and every delta's writes it includes (`without` some files). */
export function rootKnowledge(root: RootMeta, without: ReadonlySet<string> = new Set()): RootKnowledge {
  const files = new Set([...(root.snapshot ? [root.snapshot.file] : []), ...root.deltas.map((delta) => delta.file)]);
  const known = CausalContext.from(root.snapshot?.applied);
  try {
    for (const delta of root.deltas) if (!without.has(delta.file)) for (const [from, to] of delta.dots) known.addRange(delta.replica, from, to);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new SyncError('invalid-remote-data', `The sync index on the server claims impossible writes (${error.message}). Nothing was applied.`, { path: META_PATH, cause: error });
  }
  return {
    known,
    has: (file) => files.has(file),
    includes: (replica, dots) => dots.every(([from, to]) => known.hasRange(replica, from, to)),
  };
}
