import { CausalContextData, Dot } from '../crdt/causal-context';
import { isStamp } from '../crdt/clock';
import { RegisterValue } from '../crdt/entity-record';
import { Json } from '../crdt/json';
import { checkRegister } from '../crdt/field-rules';
import { ENTITY_TYPES, EntityType, isEntityType, MAX_ENTITY_ID, MAX_REGISTER_KEY } from '../crdt/schema';
import { DeviceInfo, DotRanges, META_PATH, RootMeta, SnapshotRef } from './remote-format';
import { array, checkFormat, context, count, dotCounter, fail, fileName, object, ranges, replicaId, string, wrap } from './validate';

/** The readers of the remote files: each checks everything before a value reaches the state. */
export function parseRoot(raw: unknown, label = META_PATH): RootMeta {
  return wrap(label, () => {
    const data = object(raw, label);
    checkFormat(data, 'super-sync/meta', label);
    const snapshotRaw = data['snapshot'];
    const snapshot: SnapshotRef | null =
      snapshotRaw === null || snapshotRaw === undefined
        ? null
        : (() => {
            const s = object(snapshotRaw, 'snapshot');
            return {
              file: fileName(s['file'], 'snapshot.file'),
              seq: count(s['seq'], 'snapshot.seq'),
              applied: context(s['applied'], 'snapshot.applied'),
              bytes: count(s['bytes'], 'snapshot.bytes'),
              entities: count(s['entities'], 'snapshot.entities'),
            };
          })();
    const deltas = array(data['deltas'], 'deltas').map((entry, i) => {
      const d = object(entry, `deltas[${i}]`);
      const counts: Partial<Record<EntityType, number>> = {};
      for (const [type, n] of Object.entries(object(d['counts'] ?? {}, `deltas[${i}].counts`))) {
        if (isEntityType(type)) counts[type] = count(n, `deltas[${i}].counts`);
      }
      return {
        file: fileName(d['file'], `deltas[${i}].file`),
        seq: count(d['seq'], `deltas[${i}].seq`),
        replica: replicaId(d['replica'], `deltas[${i}].replica`),
        dots: ranges(d['dots'], `deltas[${i}].dots`),
        counts,
        bytes: count(d['bytes'], `deltas[${i}].bytes`),
      };
    });
    const devices: Record<string, DeviceInfo> = Object.create(null);
    for (const [replica, info] of Object.entries(object(data['devices'] ?? {}, 'devices'))) {
      const d = object(info, `devices.${replica}`);
      devices[replicaId(replica, 'device id')] = {
        name: string(d['name'] ?? '', `devices.${replica}.name`, 200),
        lastSyncAt: count(d['lastSyncAt'] ?? 0, `devices.${replica}.lastSyncAt`),
        maxDot: count(d['maxDot'] ?? 0, `devices.${replica}.maxDot`),
      };
    }
    const graveyard = array(data['graveyard'] ?? [], 'graveyard').map((entry, i) => {
      const g = object(entry, `graveyard[${i}]`);
      return { file: fileName(g['file'], `graveyard[${i}].file`), after: count(g['after'], `graveyard[${i}].after`) };
    });
    return {
      format: 'super-sync/meta',
      formatVersion: data['formatVersion'] as number,
      seq: count(data['seq'], 'seq'),
      commitId: string(data['commitId'], 'commitId', 64),
      snapshot,
      deltas,
      devices,
      graveyard,
    };
  });
}

const MAX_KEY = MAX_REGISTER_KEY;

function wireValue(raw: unknown, what: string, replicaOf: (raw: unknown) => string): RegisterValue {
  const tuple = array(raw, what);
  if (tuple.length !== 4) fail(`${what} must have 4 parts`);
  const t = tuple[3];
  if (!isStamp(t)) fail(`${what} has no valid time stamp`);
  const n = dotCounter(tuple[2], `${what} counter`);
  if (n < 1) fail(`${what} counter must be positive`);
  return { v: tuple[0] as Json, r: replicaOf(tuple[1]), n, t };
}

function checked(type: EntityType, key: string, value: RegisterValue): RegisterValue {
  const problem = checkRegister(type, key, value.v);
  if (problem) fail(problem);
  return value;
}

function entityId(value: unknown, what: string): string {
  const id = string(value, what, MAX_ENTITY_ID);
  if (id.length === 0) fail(`${what} is empty`);
  return id;
}

function entityType(value: unknown, what: string): EntityType {
  if (!isEntityType(value)) fail(`${what} is '${String(value).slice(0, 40)}', not one of ${ENTITY_TYPES.join(', ')}`);
  return value;
}

export interface ParsedDeltaEntity {
  readonly type: EntityType;
  readonly id: string;
  readonly ver: number;
  readonly changes: Array<{ key: string; values: RegisterValue[]; replaced: Dot[] }>;
}

export interface ParsedDelta {
  readonly replica: string;
  readonly dots: DotRanges;
  readonly entities: ParsedDeltaEntity[];
}

export function parseDelta(raw: unknown, label: string): ParsedDelta {
  return wrap(label, () => {
    const data = object(raw, label);
    checkFormat(data, 'super-sync/delta', label);
    const entities = array(data['entities'], 'entities').map((entry, i) => {
      const e = object(entry, `entities[${i}]`);
      const type = entityType(e['type'], `entities[${i}].type`);
      const changes = array(e['keys'], `entities[${i}].keys`).map((change, j) => {
        const [key, values, replaced] = array(change, `entities[${i}].keys[${j}]`);
        const what = `entities[${i}].keys[${j}]`;
        const registerKey = string(key, `${what} key`, MAX_KEY);
        return {
          key: registerKey,
          values: array(values, `${what} values`).map((value) => checked(type, registerKey, wireValue(value, `${what} value`, (r) => replicaId(r, `${what} replica`)))),
          replaced: array(replaced ?? [], `${what} replaced`).map((dot) => {
            const [r, n] = array(dot, `${what} replaced dot`);
            return [replicaId(r, `${what} replica`), dotCounter(n, `${what} counter`)] as Dot;
          }),
        };
      });
      return { type, id: entityId(e['id'], `entities[${i}].id`), ver: count(e['ver'], `entities[${i}].ver`), changes };
    });
    return { replica: replicaId(data['replica'], 'replica'), dots: ranges(data['dots'], 'dots'), entities };
  });
}

export interface ParsedSnapshot {
  readonly seen: CausalContextData;
  readonly applied: CausalContextData;
  readonly entities: Array<{ type: EntityType; id: string; ver: number; keys: Array<[string, RegisterValue[]]> }>;
}

export function parseSnapshot(raw: unknown, label: string): ParsedSnapshot {
  return wrap(label, () => {
    const data = object(raw, label);
    checkFormat(data, 'super-sync/snapshot', label);
    const replicas = array(data['replicas'], 'replicas').map((r, i) => replicaId(r, `replicas[${i}]`));
    const replicaOf = (raw: unknown) => {
      const index = count(raw, 'replica index');
      if (index >= replicas.length) fail('a value names a replica that is not in the table');
      return replicas[index];
    };
    const entities = array(data['entities'], 'entities').map((entry, i) => {
      const [rawType, id, ver, keys] = array(entry, `entities[${i}]`);
      const type = entityType(rawType, `entities[${i}] type`);
      return {
        type,
        id: entityId(id, `entities[${i}] id`),
        ver: count(ver, `entities[${i}] version`),
        keys: array(keys, `entities[${i}] keys`).map((register, j) => {
          const [key, values] = array(register, `entities[${i}].keys[${j}]`);
          const registerKey = string(key, 'register key', MAX_KEY);
          return [registerKey, array(values, 'values').map((value) => checked(type, registerKey, wireValue(value, `entities[${i}] value`, replicaOf)))] as [string, RegisterValue[]];
        }),
      };
    });
    return { seen: context(data['seen'], 'seen'), applied: context(data['applied'], 'applied'), entities };
  });
}
