import { Dot } from '../crdt/causal-context';
import { decodeStamp, tick } from '../crdt/clock';
import { lineage, replacedBy } from '../crdt/lineage';
import { DELETED_KEY, isConflicted, winner } from '../crdt/entity-record';
import { parseRegisterKey } from '../crdt/materialize';
import { entityKey } from '../crdt/schema';
import { ConflictInfo, ConflictValue } from '../types';
import { EntityType } from '../crdt/schema';
import { PersistRequest, ReplicaState, ViewChanges } from './replica-state';

/** Open conflicts: registers with concurrent siblings (list positions aside: those merge by rule). */
export function findConflicts(state: ReplicaState): ConflictInfo[] {
  const result: ConflictInfo[] = [];
  for (const key of state.conflictedKeys) {
    const record = state.records.get(key);
    if (!record) continue;
    for (const [register, values] of record.keys) {
      if (!isConflicted(values)) continue;
      if (parseRegisterKey(record.type, register).kind === 'ordered-ids') continue;
      // Shown first: the value in effect. For delete vs edit that is "alive" (the edit wins),
      // so keeping what is shown never deletes what the person sees.
      const inEffect = (value: { v: unknown }) => (register === DELETED_KEY && value.v === false ? 1 : 0);
      const [shown, ...others] = [...values].sort((a, b) => inEffect(b) - inEffect(a) || (a.t === b.t ? (a.r < b.r ? 1 : -1) : a.t < b.t ? 1 : -1));
      const entity = state.view.get(key);
      result.push({
        type: record.type,
        id: record.id,
        title: String(entity?.['title'] ?? (record.type === 'metric' ? record.id : winner(record.keys.get('title') ?? [])?.v ?? record.id)),
        field: register,
        shown: conflictValue(shown),
        others: others.map(conflictValue),
      });
    }
  }
  return result.sort((a, b) => compareText(a.type, b.type) || compareText(a.id, b.id) || compareText(a.field, b.field));
}

/**
 * Resolve a conflict: write the chosen value (the shown one to keep it, another to use that) as a
 * new edit that replaces every sibling, so it syncs and the conflict closes everywhere. Returns
 * what to persist, with the view change in it.
 */
export function resolveConflict(state: ReplicaState, now: number, type: EntityType, id: string, field: string, chosenStamp: string): PersistRequest & { view: ViewChanges } {
  const key = entityKey(type, id);
  const record = state.records.get(key);
  const values = record?.keys.get(field);
  const chosen = values?.find((value) => valueToken(value) === chosenStamp);
  if (!record || !values || !chosen) throw new Error(`No conflict on ${type} ${id} ${field} with that value.`);
  const stamp = tick(state.clock, now);
  const gen = ++state.gen;
  const dot: Dot = [state.replica, ++state.counter];
  state.markDirty(key, field, replacedBy(values), gen);
  const p = lineage(values, state.replica);
  record.keys.set(field, [{ v: chosen.v, r: dot[0], n: dot[1], t: stamp, ...(p ? { p } : {}) }]);
  state.seen.add(dot);
  state.applied.add(dot);
  const view = state.refreshView([key]);
  return { ...state.persistRequest([key]), view };
}

function conflictValue(value: { v: unknown; r: string; n: number; t: string }): ConflictValue {
  return { value: value.v, device: value.r, at: decodeStamp(value.t).wall, stamp: valueToken(value) };
}

/** Names one value of a register: its stamp alone is not unique (two devices can write in one ms). */
function valueToken(value: { r: string; n: number; t: string }): string {
  return `${value.t}.${value.r}.${value.n}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
