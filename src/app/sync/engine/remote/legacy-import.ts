import { encodeStamp } from '../crdt/clock';
import { EntityRecord, newRecord } from '../crdt/entity-record';
import { Json, toJson } from '../crdt/json';
import { localWrites } from '../crdt/local-writes';
import { DotRanges } from './remote-format';
import { ParsedDelta } from './parse-files';
import { DomainEntity, ENTITY_TYPES, EntityType } from '../crdt/schema';
import { SyncError } from '../sync-error';

/** The replica id under which data migrated from a whole-file `main.json` is written. */
export const LEGACY_REPLICA = 'legacy-main';

/**
 * Migration from whole-file sync (the plan's Phase 4): a remote folder that holds only the app's
 * whole-file export as `main.json` is read as one delta. Its dots and stamps are derived from the
 * file alone, so two devices that migrate at once produce identical values and merge cleanly.
 */
export function legacyDelta(raw: unknown): ParsedDelta {
  const entitiesByType = findEntities(raw);
  const entities: ParsedDelta['entities'] = [];
  let counter = 0;
  for (const type of ENTITY_TYPES) {
    const list = [...entitiesByType[type]].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const entity of list) {
      const record: EntityRecord = newRecord(type, entity.id);
      const when = Number(entity['lastModifiedAt'] ?? entity['created'] ?? 0);
      const stamp = encodeStamp(Number.isFinite(when) && when > 0 ? Math.floor(when) : 0, 0);
      // Counters follow the register keys in code-unit order, never the JSON's field order, so two
      // clients that migrate the same file at once write identical values.
      const changes = localWrites(type, record, null, entity)
        .filter((write) => write.value !== undefined)
        .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
        .map((write) => ({ key: write.key, values: [{ v: write.value as Json, r: LEGACY_REPLICA, n: ++counter, t: stamp }], replaced: [] }));
      const version = Number(entity['version'] ?? 1);
      entities.push({ type, id: entity.id, ver: Number.isSafeInteger(version) && version > 0 ? version : 1, changes });
    }
  }
  const dots: DotRanges = counter > 0 ? [[1, counter]] : [];
  return { replica: LEGACY_REPLICA, dots, entities };
}

function findEntities(raw: unknown): Record<EntityType, DomainEntity[]> {
  const root = asObject(raw);
  const data = asObject(root?.['data']) ?? asObject(root?.['entities']) ?? root;
  if (!data) throw invalid('it is not a JSON object');
  const result = Object.fromEntries(ENTITY_TYPES.map((type) => [type, [] as DomainEntity[]])) as Record<EntityType, DomainEntity[]>;
  let found = 0;
  for (const type of ENTITY_TYPES) {
    const slice = data[type] ?? data[`${type}s`];
    const list = Array.isArray(slice) ? slice : Object.values(asObject(asObject(slice)?.['entities']) ?? {});
    for (const item of list) {
      const entity = asObject(item);
      if (!entity || typeof entity['id'] !== 'string' || entity['id'].length === 0) continue;
      result[type].push(toJson(entity) as unknown as DomainEntity);
      found++;
    }
  }
  if (found === 0) throw invalid('it holds no tasks, projects, tags or metrics');
  return result;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function invalid(why: string): SyncError {
  return new SyncError('invalid-remote-data', `main.json (the old whole-file sync) could not be migrated: ${why}. It was left untouched.`, { path: 'main.json' });
}
