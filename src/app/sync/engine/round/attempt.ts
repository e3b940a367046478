import { CausalContext } from '../crdt/causal-context';
import { isDeleted, DELETED_KEY } from '../crdt/entity-record';
import { MeteredStore } from '../remote/metered-store';
import { MergeSession, ReplicaState } from '../replica/replica-state';
import { RoundResult, SyncOptions } from '../types';
import { Adoptions } from './adoptions';
import { commit, reconcileInflight } from './commit';
import { RoundContext } from './context';
import { fetchIncoming } from './incoming';
import { RootRead, readRoot } from './read-root';
import { readLegacy } from './remote-files';
import { RetryRound } from './retry';
import { emptyCounts, roundResult } from './round-result';
import { RootKnowledge, rootKnowledge } from './root-knowledge';
import { scanUnnamed, UnnamedFile } from './unnamed-files';
import { NO_CHANGES } from './view-changes';

/**
 * One attempt at a round (SYNC.md §4): read the root, merge what is new into a session, check the
 * mass-delete guard, then adopt the merge and the root in one persisted step, and only then commit
 * what is dirty. Anything that makes it start over throws RetryRound before it adopts anything.
 */
export async function attempt(ctx: RoundContext, meter: MeteredStore, options: SyncOptions, how: { optimistic: boolean; lock: string | null; adoptions: Adoptions }): Promise<RoundResult> {
  const { adoptions } = how;
  const state = ctx.state;
  const locked = how.lock !== null;
  const read = await readRoot(ctx, meter, { optimistic: how.optimistic, locked });
  const { root } = read;

  // What happened to an upload whose commit we never heard back from.
  const reconciled = read.fresh && reconcileInflight(state, root);

  // SYNC.md §6: a root must never forget a commit. One written over by a device that did not
  // compare-and-swap (lock race, a server ignoring If-Match) is repaired with a snapshot of
  // everything we know, which includes what it lost. Until then we keep remembering what it lost.
  const knowledge = root ? rootKnowledge(root) : null;
  const regressed = knowledge !== null && !knowledge.known.covers(state.remoteKnown);
  // Commits no root names: merged and carried by a snapshot, so a commit reported as synced outlives its writer.
  // (With no root yet too: a restored copy's original may have uploaded before any root existed.)
  const unnamed = read.fresh && (read.damaged === true || ctx.observed.unnamedScanDue()) ? await scanUnnamed(ctx, meter, root, knowledge?.known ?? new CausalContext()) : [];
  const namesLostFile = root !== null && root.deltas.some((delta) => ctx.observed.lostFiles.has(delta.file));
  const mustWrite = regressed || unnamed.length > 0 || namesLostFile || read.damaged === true;
  if (state.mode === 'lock' && !locked && (state.hasDirty() || mustWrite)) throw new RetryRound('lock needed', true);

  const { session, legacy } = await merge(ctx, meter, read, unnamed);

  // The mass-delete fail-safe (SYNC.md §1.7), before anything is applied or sent.
  const guard = massDeleteGuard(ctx, session, options, adoptions);
  if (guard) {
    // The root read here is not adopted: the next round must read it again, never commit over it.
    ctx.observed.rootCheckedAt = null;
    return roundResult(ctx, meter, adoptions, { status: 'needs-confirmation', newConflicts: 0, sent: emptyCounts(), compacted: false, massDelete: guard });
  }

  const changedKeys = await adopt(ctx, session, read, knowledge, regressed, reconciled, adoptions);

  // Outgoing: one delta (or a snapshot when compacting, repairing or starting a remote), then the root.
  const hasData = state.records.size > 0;
  const bootstrap = (root === null && (hasData || legacy)) || mustWrite || (options.rewrite === true && hasData);
  if (!state.hasDirty() && !bootstrap) {
    const status = changedKeys.length > 0 || legacy ? 'synced' : 'up-to-date';
    return roundResult(ctx, meter, adoptions, { status, newConflicts: session.newConflicts, sent: emptyCounts(), compacted: false });
  }
  if (state.mode === 'lock' && !locked) throw new RetryRound('lock needed', true);
  const observed = ctx.observed;
  const collect = [...unnamed.map(({ file }) => file), ...observed.unnamedGarbage].filter((file) => !root?.graveyard.some((entry) => entry.file === file));
  const sent = await commit(ctx, meter, root ?? read.reseedFrom, read.revision, bootstrap, options.rewrite === true, how.lock, root === null, collect);
  observed.unnamedPending = false;
  for (const file of collect) {
    observed.unnamedGarbage.delete(file);
    observed.settledUnnamed.add(file);
  }
  return roundResult(ctx, meter, adoptions, { status: 'synced', newConflicts: session.newConflicts, sent: sent.counts, compacted: sent.compacted });
}

/** Incoming: the root's files this device has not applied, and unnamed ones, into a session nothing sees yet. */
async function merge(ctx: RoundContext, meter: MeteredStore, read: RootRead, unnamed: readonly UnnamedFile[]): Promise<{ session: MergeSession; legacy: boolean }> {
  const session = new MergeSession(ctx.state);
  let legacy = false;
  if (read.root) {
    const incoming = await fetchIncoming(ctx, meter, read.root);
    if (incoming.snapshot) session.applySnapshot(incoming.snapshot);
    for (const delta of incoming.deltas) session.applyDelta(delta);
  } else if (ctx.state.root === null) {
    const delta = await readLegacy(meter);
    if (delta) session.applyDelta(delta);
    legacy = delta !== null;
  }
  for (const { delta } of unnamed) session.applyDelta(delta);
  return { session, legacy };
}

/** Counted over the whole round: what earlier attempts of it removed, against the entities it began with. */
function massDeleteGuard(ctx: RoundContext, session: MergeSession, options: SyncOptions, adoptions: Adoptions): RoundResult['massDelete'] | null {
  if (options.confirmMassDelete) return null;
  const incoming = adoptions.removed + session.removals();
  const outgoing = outgoingDeletes(ctx.state);
  const entities = adoptions.entitiesAtStart;
  const limits = ctx.options.massDelete ?? { max: 100, floor: 10 };
  const deletes = incoming + outgoing;
  return deletes > limits.max || (deletes > entities / 2 && deletes >= limits.floor) ? { incoming, outgoing, entities } : null;
}

function outgoingDeletes(state: ReplicaState): number {
  let count = 0;
  for (const [key, registers] of state.dirty) {
    const record = state.records.get(key);
    if (registers.has(DELETED_KEY) && record && isDeleted(record)) count++;
  }
  return count;
}

/**
 * Adoption, in one step persisted before anything depends on it: the merged records, the view
 * they give, the root (with when it was read), and what the remote is now known to hold.
 */
async function adopt(
  ctx: RoundContext,
  session: MergeSession,
  read: RootRead,
  knowledge: RootKnowledge | null,
  regressed: boolean,
  reconciled: boolean,
  adoptions: Adoptions,
): Promise<string[]> {
  const state = ctx.state;
  const observed = ctx.observed;
  const changedKeys = session.commit();
  // A round that brought nothing leaves the view as it is (no O(n) pass on every poll).
  const changes = changedKeys.length || state.hasDirty() ? state.refreshView(changedKeys) : NO_CHANGES;
  const previousRoot = state.root;
  state.root = read.root;
  state.rootRevision = read.revision;
  observed.rootCheckedAt = read.readAt;
  observed.adopted(read.root);
  // What a lost file claims is not known to the remote: remembering it would make every round a repair.
  if (read.root && knowledge && !regressed) state.remoteKnown.addAll(observed.lostFiles.size ? rootKnowledge(read.root, observed.lostFiles).known : knowledge.known);
  if (changedKeys.length || read.root !== previousRoot || reconciled) {
    await ctx.options.persistence.save({ ...state.persistRequest(changedKeys), view: changes });
  }
  adoptions.add(changes, changedKeys);
  return changedKeys;
}
