import { decodeStamp } from './clock';
import { DELETED_KEY, EntityRecord, RegisterValue, isDeleted, winner } from './entity-record';
import { Json } from './json';
import { DomainEntity, EntityType, FIELD_KINDS, FieldKind, fieldKind } from './schema';

/** Splits a register key into its field and, for collection fields, the element. */
export function parseRegisterKey(type: EntityType, key: string): { field: string; element: string | null; kind: FieldKind } {
  const slash = key.indexOf('/');
  if (slash > 0) {
    const field = key.slice(0, slash);
    const kind = fieldKind(type, field);
    if (kind !== 'scalar') return { field, element: key.slice(slash + 1), kind };
  }
  return { field: key, element: null, kind: fieldKind(type, key) };
}

export function elementKey(field: string, element: string): string {
  return `${field}/${element}`;
}

/**
 * The entity as the app shows it: every register's winning value, collections rebuilt in their
 * deterministic order. Returns null for a deleted entity.
 */
export function materialize(record: EntityRecord): DomainEntity | null {
  if (isDeleted(record)) return null;
  const entity: Record<string, unknown> = Object.create(null);
  const sets = new Map<string, Array<[string, RegisterValue]>>();
  const lists = new Map<string, Array<[string, string]>>();
  const maps = new Set<string>();
  let latest: RegisterValue | undefined;

  for (const [key, values] of record.keys) {
    const shown = winner(values);
    if (!shown) continue;
    if (!latest || shown.t > latest.t) latest = shown;
    if (key === DELETED_KEY) continue;
    const { field, element, kind } = parseRegisterKey(record.type, key);
    if (element === null) {
      entity[field] = shown.v;
    } else if (kind === 'id-set') {
      if (shown.v === true) push(sets, field, [element, shown]);
    } else if (kind === 'ordered-ids') {
      if (typeof shown.v === 'string') push(lists, field, [element, shown.v]);
    } else if (kind === 'day-map') {
      if (shown.v !== null) {
        maps.add(field);
        const map = (entity[field] ??= Object.create(null)) as Record<string, Json>;
        map[element] = shown.v;
      }
    }
  }
  for (const [field, members] of sets) {
    entity[field] = members.sort(([a, x], [b, y]) => (x.t !== y.t ? (x.t < y.t ? -1 : 1) : a < b ? -1 : 1)).map(([id]) => id);
  }
  for (const [field, members] of lists) {
    entity[field] = members.sort(([a, x], [b, y]) => (x !== y ? (x < y ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0)).map(([id]) => id);
  }
  // Collections the schema declares are always there, empty when nothing is in them.
  for (const [field, kind] of Object.entries(FIELD_KINDS[record.type])) {
    if (entity[field] !== undefined) continue;
    if (kind === 'id-set' || kind === 'ordered-ids') entity[field] = [];
    else if (kind === 'day-map') {
      entity[field] = {};
      maps.add(field);
    }
  }
  const result: Record<string, unknown> = { id: record.id };
  for (const field of Object.keys(entity).sort()) {
    const value = entity[field];
    // Day maps in one key order everywhere, so equal entities are equal as JSON too.
    result[field] = maps.has(field) ? Object.fromEntries(Object.entries(value as Record<string, Json>).sort(([a], [b]) => (a < b ? -1 : 1))) : value;
  }
  result['version'] = record.ver;
  result['lastModifiedAt'] = latest ? decodeStamp(latest.t).wall : 0;
  result['lastModifiedBy'] = latest?.r ?? '';
  return result as DomainEntity;
}

/** Current position keys of an ordered field, by element. */
export function listPositions(record: EntityRecord | undefined, field: string): Map<string, string> {
  const positions = new Map<string, string>();
  if (!record) return positions;
  const prefix = `${field}/`;
  for (const [key, values] of record.keys) {
    if (!key.startsWith(prefix)) continue;
    const shown = winner(values);
    if (shown && typeof shown.v === 'string') positions.set(key.slice(prefix.length), shown.v);
  }
  return positions;
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
