import { ReplicaState } from './replica-state';

/**
 * Every time a stored state is opened, its writes go under a new replica id (SYNC.md §1.1,
 * docs/decisions.md "A replica id per opening").
 *
 * A stored state can be copied: a backup restored, a profile copied to another machine. The copy
 * and the original then hold the same writes under the same dots up to the moment of the copy,
 * and would hand out the same counters for different writes after it. A copy always begins by
 * opening the stored state, while the original goes on in memory (or opens it again later, and
 * then takes its own new id). So an id is used by one opening only, and two openings never share
 * a dot, with no guess at where a copy began.
 *
 * Nothing is re-dotted: every value keeps the dot it was written under, so a delete or an edit
 * that replaced one of them anywhere still replaces it. Writes not yet sent go up in this
 * opening's first commit, which claims a dot of the new id (commit.ts). An upload still in flight
 * keeps the id it was made under, so the next root settles it.
 *
 * The id is `<device>.<nonce>`: the device part stays, so a name can still be given to values
 * written under an earlier opening of the same device.
 */
export function startSession(state: ReplicaState, nonce: string): void {
  const old = state.replica;
  state.recordsVersion++;
  if (state.inflight && state.inflight.replica === undefined) state.inflight = { ...state.inflight, replica: old };
  state.retiredReplicas = [...state.retiredReplicas, old].slice(-RETIRED_KEPT);
  listReplacedUnsent(state, old);
  state.touchAllDirty();
  state.replica = `${deviceOf(old).slice(0, 100)}.${nonce}`;
  state.counter = 0;
  state.committedCounter = 0;
}

/**
 * Unsent registers do not list the unsent writes of the id they were written under that they
 * replaced (that id's commit would have claimed them, replica-state.ts markDirty), and they now go
 * up under a new id. Those writes are the old id's counters since its last commit that no record
 * holds any more: one register lists them, so that every reader has seen them, and every register
 * lists the highest, which says that every earlier value of the old id it no longer holds was
 * replaced there. A write some record still holds is never listed: its register may be clean (an
 * upload settled since), and a reader told it was seen without receiving it would drop it.
 */
function listReplacedUnsent(state: ReplicaState, old: string): void {
  if (state.dirty.size === 0 || state.counter <= state.committedCounter) return;
  const held = new Set<number>();
  for (const record of state.records.values()) for (const values of record.keys.values()) for (const value of values) if (value.r === old) held.add(value.n);
  const gone: number[] = [];
  for (let n = state.committedCounter + 1; n <= state.counter; n++) if (!held.has(n)) gone.push(n);
  if (gone.length === 0) return;
  const highest = gone[gone.length - 1];
  let first = true;
  for (const registers of state.dirty.values()) {
    for (const info of registers.values()) {
      info.replaced.push([old, highest]);
      if (first) for (const n of gone.slice(0, -1)) info.replaced.push([old, n]);
      first = false;
    }
  }
}

/** How many earlier ids a state remembers (for reading only: nothing is ever written under them again). */
const RETIRED_KEPT = 16;

/** The device part of a replica id: ids of one device's openings share it. */
export function deviceOf(replica: string): string {
  const dot = replica.indexOf('.');
  return dot < 0 ? replica : replica.slice(0, dot);
}
