import { DELETED_KEY, EntityRecord } from './entity-record';
import { checkRegister } from './field-rules';
import { keysBetween } from './fractional-index';
import { Json, jsonEqual, toJson } from './json';
import { elementKey, listPositions } from './materialize';
import { DomainEntity, EntityType, MAX_REGISTER_KEY, METADATA_FIELDS, fieldKind } from './schema';

/** One register write a local change makes; `value: undefined` removes the register. */
export interface LocalWrite {
  readonly key: string;
  readonly value: Json | undefined;
}

/**
 * The register writes that turn `before` (what the app showed) into `after` (what it shows now).
 * Only what changed is written: one edited field is one register, a moved task is one position.
 * `after === null` deletes the entity; `before === null` creates (or restores) it.
 */
export function localWrites(
  type: EntityType,
  record: EntityRecord | undefined,
  before: DomainEntity | null,
  after: DomainEntity | null,
): LocalWrite[] {
  if (after === null) return before === null ? [] : [{ key: DELETED_KEY, value: true }];
  const writes: LocalWrite[] = [];
  const fields = new Set([...Object.keys(after), ...(before ? Object.keys(before) : [])]);
  for (const field of fields) {
    if (METADATA_FIELDS.has(field)) continue;
    const was = before?.[field];
    const now = after[field];
    // A missing field and null are the same to the sync (null is how "absent" travels). A field the
    // app did not change is no write, even where the shown value is the repair's (a list member
    // the records lack): the repair is a pure function of the records, never written.
    if (before && (was === now || (was == null && now == null) || jsonEqual(was, now))) continue;
    switch (fieldKind(type, field)) {
      case 'scalar':
        if (!before || !jsonEqual(was, now)) writes.push({ key: field, value: toJson(now) });
        break;
      case 'id-set':
        diffSet(field, ids(was), ids(now), writes);
        break;
      case 'ordered-ids':
        diffList(field, record, ids(was), ids(now), writes);
        break;
      case 'day-map':
        diffMap(field, dayMap(was), dayMap(now), writes);
        break;
    }
  }
  // Every change also says "this entity is alive": a delete that did not see this edit cannot win over it.
  if (writes.length > 0 || before === null) writes.push({ key: DELETED_KEY, value: false });
  // What other devices would refuse is not sent: a value of the wrong type travels as null.
  // An element whose id is longer than readers accept is not sent either: it would wedge them.
  return writes
    .filter((write) => write.key.length <= MAX_REGISTER_KEY)
    .map((write) => (write.value !== undefined && checkRegister(type, write.key, write.value) !== null ? { key: write.key, value: null } : write))
    .filter((write) => !(write.value === null && checkRegister(type, write.key, null) !== null));
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function dayMap(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function diffSet(field: string, was: string[], now: string[], writes: LocalWrite[]): void {
  const before = new Set(was);
  const after = new Set(now);
  for (const id of after) if (!before.has(id)) writes.push({ key: elementKey(field, id), value: true });
  for (const id of before) if (!after.has(id)) writes.push({ key: elementKey(field, id), value: undefined });
}

function diffMap(field: string, was: Record<string, unknown>, now: Record<string, unknown>, writes: LocalWrite[]): void {
  for (const [day, value] of Object.entries(now)) {
    if (!jsonEqual(was[day], value)) writes.push({ key: elementKey(field, day), value: toJson(value) });
  }
  for (const day of Object.keys(was)) if (!(day in now)) writes.push({ key: elementKey(field, day), value: undefined });
}

/**
 * An ordered list changes by removals and by position writes for the elements that moved or
 * arrived. The elements that kept their relative order (the longest run of increasing existing
 * positions) keep their keys; every other element gets a key between its kept neighbours.
 */
function diffList(field: string, record: EntityRecord | undefined, was: string[], now: string[], writes: LocalWrite[]): void {
  const after = new Set(now);
  for (const id of new Set(was)) if (!after.has(id)) writes.push({ key: elementKey(field, id), value: undefined });

  const unique = [...new Set(now)];
  const positions = listPositions(record, field);
  const stable = longestIncreasing(unique.map((id) => positions.get(id)));
  let i = 0;
  while (i < unique.length) {
    if (stable.has(i)) {
      i++;
      continue;
    }
    let end = i;
    while (end < unique.length && !stable.has(end)) end++;
    const low = i > 0 ? positions.get(unique[i - 1])! : null;
    const high = end < unique.length ? positions.get(unique[end])! : null;
    const keys = keysBetween(low, high, end - i);
    for (let j = i; j < end; j++) {
      writes.push({ key: elementKey(field, unique[j]), value: keys[j - i] });
      positions.set(unique[j], keys[j - i]);
    }
    i = end;
  }
}

/** Indexes of a longest strictly increasing subsequence of the defined keys (patience sorting). */
function longestIncreasing(keys: Array<string | undefined>): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(keys.length).fill(-1);
  keys.forEach((key, index) => {
    if (key === undefined) return;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (keys[tails[mid]]! < key) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[index] = tails[low - 1];
    tails[low] = index;
  });
  const result = new Set<number>();
  for (let index = tails.length ? tails[tails.length - 1] : -1; index >= 0; index = previous[index]) result.add(index);
  return result;
}
