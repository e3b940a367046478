import { CausalContext, Dot } from './causal-context';
import { Json, jsonEqual } from './json';
import { EntityType } from './schema';

/**
 * The synced form of one entity: a map from register key to the values it holds.
 *
 * Register keys: a scalar field is its name (`title`); an element of an id set, ordered list or
 * per-day map is `field/element` (`tagIds/t1`, `taskIds/a`, `timeSpentOnDay/2024-05-01`);
 * `_del` says whether the entity is deleted. Every value carries the dot of the write that made
 * it (replica, counter) and the hybrid-logical-clock stamp of that write.
 *
 * A register normally holds one value. Two writes that did not see each other both survive as
 * siblings: the one with the later stamp is shown, the other is the conflict record the user can
 * review. A later write that saw them replaces all of them. This is a multi-value register in a
 * causal CRDT map, so merging is commutative, associative and idempotent: the order in which
 * deltas arrive cannot change the result.
 */
export interface RegisterValue {
  readonly v: Json;
  /** Replica that wrote it. */
  readonly r: string;
  /** That replica's write counter: (r, n) is the value's dot, unique across all devices. */
  readonly n: number;
  /** Hybrid logical clock stamp of the write; the later stamp wins for display. */
  readonly t: string;
  /** On values this device wrote: what the write replaced, carried forward (lineage.ts). Never sent. */
  readonly p?: readonly Dot[];
}

export interface EntityRecord {
  readonly type: EntityType;
  readonly id: string;
  /** Highest `version` any device gave this entity; merged by maximum. */
  ver: number;
  readonly keys: Map<string, RegisterValue[]>;
}

export const DELETED_KEY = '_del';

export function newRecord(type: EntityType, id: string): EntityRecord {
  return { type, id, ver: 0, keys: new Map() };
}

export function cloneRecord(record: EntityRecord): EntityRecord {
  return { type: record.type, id: record.id, ver: record.ver, keys: new Map(record.keys) };
}

export function dotOf(value: RegisterValue): Dot {
  return [value.r, value.n];
}

export function dotId(replica: string, counter: number): string {
  return `${replica}\u0000${counter}`;
}

/** The shown value of a register: latest stamp, ties broken by replica then counter. */
export function winner(values: readonly RegisterValue[]): RegisterValue | undefined {
  let best: RegisterValue | undefined;
  for (const value of values) if (!best || compareValues(value, best) > 0) best = value;
  return best;
}

export function compareValues(a: RegisterValue, b: RegisterValue): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  if (a.r !== b.r) return a.r < b.r ? -1 : 1;
  return a.n - b.n;
}

/** Values in one canonical order (winner first), so equal registers compare equal everywhere. */
function canonical(values: RegisterValue[]): RegisterValue[] {
  return values.sort((a, b) => compareValues(b, a));
}

/**
 * Join of two versions of one register. A value survives unless the other side has seen its dot
 * and no longer holds it (it was overwritten or removed there).
 */
export function joinRegister(
  local: readonly RegisterValue[],
  localSeen: (dot: Dot) => boolean,
  incoming: readonly RegisterValue[],
  incomingSeen: (dot: Dot) => boolean,
): RegisterValue[] {
  const incomingDots = new Set(incoming.map((value) => dotId(value.r, value.n)));
  const localDots = new Set(local.map((value) => dotId(value.r, value.n)));
  const result: RegisterValue[] = [];
  for (const value of local) {
    if (incomingDots.has(dotId(value.r, value.n)) || !incomingSeen(dotOf(value))) result.push(value);
  }
  for (const value of incoming) {
    if (!localDots.has(dotId(value.r, value.n)) && !localSeen(dotOf(value))) result.push(value);
  }
  return canonical(latestPerReplica(result));
}

/**
 * A register never holds two values of one replica: a replica's id is used by one opening of its
 * state, which writes its counters in order and replaces whatever the register holds, so its later
 * value saw the earlier one. This keeps a value replaced even when the delta that said so was lost
 * (a file the server answered for and dropped) and an old copy of the value comes back later.
 */
function latestPerReplica(values: RegisterValue[]): RegisterValue[] {
  if (values.length < 2) return values;
  const latest = new Map<string, number>();
  for (const value of values) latest.set(value.r, Math.max(latest.get(value.r) ?? 0, value.n));
  return values.length === latest.size ? values : values.filter((value) => value.n === latest.get(value.r));
}

export function sameRegister(a: readonly RegisterValue[] | undefined, b: readonly RegisterValue[] | undefined): boolean {
  if (!a || !b) return (a?.length ?? 0) === (b?.length ?? 0);
  return a.length === b.length && a.every((value, i) => value.r === b[i].r && value.n === b[i].n);
}

/** The change one delta carries for one register: the values it now holds and the dots it replaced. */
export interface RegisterChange {
  readonly values: readonly RegisterValue[];
  readonly replaced: readonly Dot[];
}

/**
 * Apply one register change from a delta. Returns true when the register changed.
 * `seen` is the local causal context before the delta; the caller adds the delta's dots after.
 * `writer` is the delta's replica and its highest claimed counter: a writer has seen every one of
 * its own earlier writes, and a delta holds all the values its register held, so a value of the
 * writer's below that counter that the register no longer holds was replaced there, even when the
 * delta that said so never arrived (a file the server dropped, whose writer is gone).
 */
export function applyRegisterChange(record: EntityRecord, key: string, change: RegisterChange, seen: CausalContext, writer: Dot | null = null): boolean {
  const local = record.keys.get(key) ?? [];
  const covered = new Set<string>();
  for (const value of change.values) covered.add(dotId(value.r, value.n));
  // A replaced dot replaces every value of its replica at or below it in this register (lineage.ts).
  const replacedUpTo = new Map<string, number>();
  for (const [replica, counter] of change.replaced) replacedUpTo.set(replica, Math.max(replacedUpTo.get(replica) ?? 0, counter));
  const incomingSeen = ([r, n]: Dot) => covered.has(dotId(r, n)) || n <= (replacedUpTo.get(r) ?? 0) || (writer !== null && r === writer[0] && n <= writer[1]);
  const joined = joinRegister(local, (dot) => seen.has(dot), change.values, incomingSeen);
  if (sameRegister(local, joined)) return false;
  if (joined.length === 0) record.keys.delete(key);
  else record.keys.set(key, joined);
  return true;
}

/** True when a register holds siblings that disagree: a conflict the user should see. */
export function isConflicted(values: readonly RegisterValue[] | undefined): boolean {
  if (!values || values.length < 2) return false;
  return values.some((value) => !jsonEqual(value.v, values[0].v));
}

export function isDeleted(record: EntityRecord): boolean {
  const deleted = record.keys.get(DELETED_KEY);
  // An edit that did not see a delete keeps the entity (SYNC.md §5: the edit wins).
  if (deleted && deleted.length > 0) return deleted.every((value) => value.v === true);
  return record.keys.size === 0;
}
