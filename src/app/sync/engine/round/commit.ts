import { Dot } from '../crdt/causal-context';
import { splitEntityKey } from '../crdt/schema';
import { jsonBytes } from '../remote/codec';
import { inParallel, MeteredStore } from '../remote/metered-store';
import { FORMAT_VERSION, META_PATH, RootMeta, dotsToRanges } from '../remote/remote-format';
import { parseRoot } from '../remote/parse-files';
import { ReplicaState } from '../replica/replica-state';
import { deviceOf } from '../replica/session';
import { isSyncError } from '../sync-error';
import { EntityCounts } from '../types';
import { buildDelta, buildSnapshot } from './build-files';
import { RoundContext } from './context';
import { newId } from './ids';
import { decode } from './remote-files';
import { RetryRound } from './retry';
import { emptyCounts, nonZero } from './round-result';
import { rootKnowledge } from './root-knowledge';

/**
 * Outgoing (SYNC.md §4.6): one delta, or a snapshot when compacting or starting a remote, then the
 * root that names it. Files are written before the root (§1.5); the outcome of an upload is
 * persisted as in flight before it is sent, so a crash is settled by the next root read.
 */
export async function commit(
  ctx: RoundContext,
  meter: MeteredStore,
  root: RootMeta | null,
  revision: string | null,
  bootstrap: boolean,
  rewrite: boolean,
  lock: string | null,
  /** No root on the remote: `root` is at most the one this device knew before the folder was emptied. */
  fresh: boolean,
  /** Unnamed delta files this commit retires (their writes are known, or carried by this snapshot). */
  collect: readonly string[] = [],
): Promise<{ counts: EntityCounts; compacted: boolean }> {
  const state = ctx.state;
  const now = ctx.now();
  const seq = (root?.seq ?? 0) + 1;
  // Refused files stay named (below) and never shrink: they do not count towards compacting.
  const counted = (root?.deltas ?? []).filter((delta) => !ctx.observed.refusedFiles.has(delta.file));
  const deltaBytes = counted.reduce((sum, delta) => sum + delta.bytes, 0);
  // A first upload that is all this device's own unsent writes goes up as one delta: the same
  // bytes as a snapshot, and a delta is what the listing of unnamed deltas can find.
  const compact =
    !(root === null && state.dirtyHoldsEverything()) &&
    (bootstrap ||
    (root !== null &&
      (counted.length + 1 >= (ctx.options.compactAfterDeltas ?? 40) ||
        deltaBytes >= (ctx.options.compactAfterBytes ?? 512 * 1024) ||
        // meta.json stays small at any data size (SYNC.md §2; the benchmark's 16 KB target).
        jsonBytes(root).byteLength >= (ctx.options.compactAfterRootBytes ?? 12 * 1024))));

  // What this commit carries.
  const registers: Array<[string, string, number, Dot[]]> = [];
  const counts = emptyCounts();
  const ownDots: number[] = [];
  for (const [key, dirty] of state.dirty) {
    counts[splitEntityKey(key).type]++;
    for (const [register, info] of dirty) {
      registers.push([key, register, info.gen, info.replaced]);
      for (const value of state.records.get(key)?.keys.get(register) ?? []) if (value.r === state.replica) ownDots.push(value.n);
    }
  }
  // Every write of this opening since its last commit is this delta's: held in a register it
  // carries, or replaced there by a later write of ours (never by another device: none has seen
  // it). One range, however many edits of one field it holds.
  if (state.hasDirty()) for (let n = state.committedCounter + 1; n <= state.counter; n++) ownDots.push(n);
  // A commit with no write of ours among its values (only removed map keys, or writes made under
  // an earlier opening's id, session.ts) still claims one dot of its own: readers skip a delta
  // whose dots they have applied, and one that claimed none would be skipped by everyone. A
  // compaction that carries unsent writes claims one too, for the delta it writes alongside.
  if (ownDots.length === 0 && (!compact || state.hasDirty())) {
    const dot: Dot = [state.replica, ++state.counter];
    ownDots.push(dot[1]);
    state.seen.add(dot);
    state.applied.add(dot);
  }
  const committedUpTo = state.counter;
  const dots = dotsToRanges(ownDots);
  const name = `${String(seq).padStart(8, '0')}-${state.replica}-${newId(ctx.random, 6)}`;
  let file: string;
  let bytes: Uint8Array;
  let snapshotEntities = 0;
  // A compaction also writes this device's new writes as a delta: should
  // the root be written over (a server ignoring If-Match), the delta is what the listing of
  // unnamed deltas finds, so the commit outlives its writer (unnamed-files.ts).
  let alongside: { file: string; bytes: Uint8Array } | null = null;
  if (compact) {
    file = `snapshots/${name}.json.gz`;
    const snapshot = buildSnapshot(state, now);
    snapshotEntities = snapshot.entities.length;
    bytes = await ctx.pack(jsonBytes(snapshot));
    if (dots.length > 0) alongside = { file: `deltas/${name}.json.gz`, bytes: await ctx.pack(jsonBytes(buildDelta(state, now, dots))) };
  } else {
    file = `deltas/${name}.json.gz`;
    bytes = await ctx.pack(jsonBytes(buildDelta(state, now, dots)));
  }

  // Files are written before the root that names them (SYNC.md §1.5).
  state.inflight = { file, dots, counter: committedUpTo, registers, replica: state.replica };
  await ctx.options.persistence.save(state.persistRequest([]));
  if (alongside) await meter.write(alongside.file, alongside.bytes, { createOnly: true, needsRevision: false });
  await meter.write(file, bytes, { createOnly: true, needsRevision: false });
  // A snapshot replaces every file before it: it must be there before a root names it. (A lost
  // delta heals through the others; nothing could replace a lost snapshot but its writer.)
  if (compact && !(await meter.list('snapshots')).some((entry) => entry.path === file)) {
    throw new RetryRound('the snapshot just written is not on the server');
  }

  // One entry per device: the ids of its earlier openings (session.ts) give way to this one.
  const device = deviceOf(state.replica);
  const others = Object.entries(root?.devices ?? {}).filter(([replica]) => deviceOf(replica) !== device);
  const devices = { ...Object.fromEntries(others), [state.replica]: { name: state.deviceName, lastSyncAt: now, maxDot: committedUpTo } };
  // A lost file is not put in the graveyard: should it show up again, the scan for unnamed deltas finds it.
  // A refused file (docs/sync-format.md) stays where it is and stays named: its data is in no
  // snapshot, and every device keeps saying which file it skipped and why. A rewrite (encryption
  // turned on, off or changed) is the exception: it replaces every file, and a file kept in the
  // old form would stop every device that reads it (or keep plain data on an encrypted remote).
  const keepRefused = (file: string) => !rewrite && ctx.observed.refusedFiles.has(file);
  const refused = (root?.deltas ?? []).filter((delta) => keepRefused(delta.file));
  const replaced = [...(root?.snapshot ? [root.snapshot.file] : []), ...(root?.deltas ?? []).map((delta) => delta.file)].filter(
    (file) => !ctx.observed.lostFiles.has(file) && !keepRefused(file),
  );
  // A grave is deleted once this device has seen it listed for a whole grace period on its own
  // clock: the compactor's `after` (its clock) is written for older versions and never compared.
  const expired = (root?.graveyard ?? []).filter((entry) => rewrite || ctx.observed.graveRipe(entry.file));
  if (rewrite) expired.push(...replaced.map((file) => ({ file, after: now })));
  const keptGraves = (root?.graveyard ?? []).filter((entry) => !rewrite && !ctx.observed.graveRipe(entry.file));
  const appliedAfter = state.applied.clone();
  for (const n of ownDots) appliedAfter.add([state.replica, n]);
  const newRoot: RootMeta = compact
    ? {
        format: 'super-sync/meta',
        formatVersion: FORMAT_VERSION,
        seq,
        commitId: newId(ctx.random, 12),
        snapshot: { file, seq, applied: appliedAfter.toData(), bytes: bytes.byteLength, entities: snapshotEntities },
        deltas: [...refused, ...(alongside ? [{ file: alongside.file, seq, replica: state.replica, dots, counts: nonZero(counts), bytes: alongside.bytes.byteLength }] : [])],
        devices,
        graveyard: [...keptGraves, ...(rewrite ? [] : [...replaced, ...collect].map((file) => ({ file, after: now + ctx.graceMs })))],
      }
    : {
        format: 'super-sync/meta',
        formatVersion: FORMAT_VERSION,
        seq,
        commitId: newId(ctx.random, 12),
        snapshot: root?.snapshot ?? null,
        deltas: [...(root?.deltas ?? []), { file, seq, replica: state.replica, dots, counts: nonZero(counts), bytes: bytes.byteLength }],
        devices,
        graveyard: [...keptGraves, ...collect.map((file) => ({ file, after: now + ctx.graceMs }))],
      };

  const rootBytes = jsonBytes(newRoot);
  let newRevision: string | null;
  if (state.mode === 'compare-and-swap') {
    // A round that paused since it read meta.json (a laptop asleep mid-round) reads it again: on a
    // server whose If-Match check is not real, a root read long ago would name files compaction has deleted since.
    if (!ctx.observed.rootCheckedWithin(ctx.now(), ctx.graceMs / 4)) throw new RetryRound('the round paused since it read meta.json');
    try {
      const written = await meter.write(META_PATH, rootBytes, fresh ? { createOnly: true } : revision ? { ifMatch: revision } : {});
      newRevision = written.revision;
    } catch (error) {
      if (isSyncError(error, 'precondition-failed')) throw new RetryRound('another device committed first');
      throw error;
    }
  } else {
    // The lock may have run out while this round paused (a laptop asleep mid-round): never
    // write the root on a lease another device may already count as abandoned.
    await ctx.lock.assertHeld(meter, lock);
    await meter.write(META_PATH, rootBytes);
    const back = await meter.read(META_PATH);
    if (back.status !== 'ok') throw new RetryRound('meta.json vanished after writing it');
    const readBack = parseRoot(await decode(back.data, META_PATH));
    if (readBack.commitId !== newRoot.commitId) throw new RetryRound('another device overwrote meta.json');
    newRevision = back.revision;
  }

  // Committed: clear exactly what this commit carried, and keep announcing it until confirmed.
  state.inflight = null;
  markCommitted(state, registers);
  state.committedCounter = Math.max(state.committedCounter, committedUpTo);
  state.root = newRoot;
  state.rootRevision = newRevision;
  state.remoteKnown.addAll(rootKnowledge(newRoot).known);
  ctx.observed.rootCheckedAt = ctx.observed.checkNow(now);
  ctx.observed.adopted(newRoot);
  await ctx.options.persistence.save(state.persistRequest([]));

  // Old files past their grace period go last, and failing to delete them harms nothing.
  await inParallel(expired, ctx.maxParallel, (entry) => meter.delete(entry.file).catch(() => undefined));
  return { counts, compacted: compact };
}

/** Clear exactly what a commit carried: a register written again since stays dirty. */
export function markCommitted(state: ReplicaState, registers: ReadonlyArray<readonly [string, string, number, Dot[]]>): void {
  for (const [key, register, gen] of registers) state.markClean(key, register, gen);
}

/**
 * An upload whose commit outcome we never heard (crash, lost answer) is settled by the root:
 * if it names the file or carries its writes, the commit happened and its registers are clean.
 */
export function reconcileInflight(state: ReplicaState, root: RootMeta | null): boolean {
  const inflight = state.inflight;
  if (!inflight) return false;
  state.inflight = null;
  const knowledge = root && rootKnowledge(root);
  // Made under this opening's id, or an earlier one's (an upload a crash or a reload interrupted).
  const replica = inflight.replica ?? state.replica;
  if (knowledge && (knowledge.has(inflight.file) || (inflight.dots.length > 0 && knowledge.includes(replica, inflight.dots)))) {
    markCommitted(state, inflight.registers);
    if (replica === state.replica) state.committedCounter = Math.max(state.committedCounter, inflight.counter);
    // A root named these writes: from now on a root that knows less lost them, and this device,
    // which no longer holds them as unsent, repairs that (the watermark), even if this round fails.
    for (const [from, to] of inflight.dots) state.remoteKnown.addRange(replica, from, to);
  }
  return true;
}
