import { Dot } from '../crdt/causal-context';
import { ReplicaState } from './replica-state';

/**
 * Take a new replica id: after a restore from an old backup (or a copied profile) the remote
 * knows writes of ours beyond our last known commit, so our counters above it may be taken.
 * Writes up to the counter the state was opened with are the original's own writes under the
 * same dots (a backup holds what its device had written): they keep their dots, so a delete
 * that replaced one of them still replaces it. Every later value gets a new dot, and we forget
 * having seen that range, so the remote's own writes from it are merged in rather than
 * mistaken for ours.
 */
export function rotateReplica(state: ReplicaState, newReplica: string): string[] {
  state.recordsVersion++;
  const old = state.replica;
  const safe = Math.max(state.committedCounter, state.announcedCounter, Math.min(state.openedAt ?? state.committedCounter, state.counter));
  const mine = (r: string, n: number) => r === old && n > safe;
  state.retiredReplicas = [...state.retiredReplicas, old];
  state.replica = newReplica;
  state.counter = 0;
  // The restore boundary belonged to the old id: the new one has no writes that could be anyone else's.
  state.openedAt = null;
  state.committedCounter = 0;
  state.announcedCounter = 0;
  state.seen.truncate(old, safe);
  state.applied.truncate(old, safe);
  const changed: string[] = [];
  for (const [key, record] of state.records) {
    let touched = false;
    for (const [register, values] of record.keys) {
      if (!values.some((value) => mine(value.r, value.n))) continue;
      touched = true;
      record.keys.set(
        register,
        values.map((value) => {
          if (!mine(value.r, value.n)) return value;
          const dot: Dot = [newReplica, ++state.counter];
          state.seen.add(dot);
          state.applied.add(dot);
          state.markDirty(key, register, [], ++state.gen);
          return { ...value, r: newReplica, n: state.counter };
        }),
      );
    }
    if (touched) changed.push(key);
  }
  for (const registers of state.dirty.values()) {
    for (const info of registers.values()) info.replaced = info.replaced.filter(([r, n]) => !mine(r, n));
  }
  return changed;
}
