import { CausalContextData, Dot } from '../crdt/causal-context';
import { isStamp } from '../crdt/clock';
import { RegisterValue } from '../crdt/entity-record';
import { Json } from '../crdt/json';
import { checkRegister } from '../crdt/field-rules';
import { ENTITY_TYPES, EntityType, isEntityType, MAX_ENTITY_ID, MAX_REGISTER_KEY } from '../crdt/schema';
import { SyncError } from '../sync-error';

/**
 * The remote files (SYNC.md §2, docs/sync-format.md). `meta.json` is the only file ever
 * overwritten; deltas and snapshots are immutable and uniquely named.
 */
export const FORMAT_VERSION = 1;
export const META_PATH = 'meta.json';
export const LOCK_PATH = 'lock.json';
export const LEGACY_PATH = 'main.json';

/** Ranges [from, to] of one replica's write counters. */
export type DotRanges = Array<[number, number]>;

export interface SnapshotRef {
  readonly file: string;
  /** The root sequence number that this snapshot compacted. */
  readonly seq: number;
  /** Every delta (by its replica's dots) whose content the snapshot includes. */
  readonly applied: CausalContextData;
  readonly bytes: number;
  readonly entities: number;
}

export interface DeltaRef {
  readonly file: string;
  /** The root sequence number that first named this delta. */
  readonly seq: number;
  readonly replica: string;
  /** The replica's own writes this delta carries. */
  readonly dots: DotRanges;
  readonly counts: Partial<Record<EntityType, number>>;
  readonly bytes: number;
}

export interface DeviceInfo {
  readonly name: string;
  readonly lastSyncAt: number;
  /** The highest write counter this replica has committed. */
  readonly maxDot: number;
}

export interface GraveyardEntry {
  readonly file: string;
  /** Wall-clock ms after which the file may be deleted. */
  readonly after: number;
}

export interface RootMeta {
  readonly format: 'super-sync/meta';
  readonly formatVersion: number;
  /** Global update count: +1 on every commit. */
  readonly seq: number;
  /** Random per commit: lets a device recognise its own root when reading it back. */
  readonly commitId: string;
  readonly snapshot: SnapshotRef | null;
  readonly deltas: readonly DeltaRef[];
  readonly devices: Readonly<Record<string, DeviceInfo>>;
  readonly graveyard: readonly GraveyardEntry[];
}

/** One register in a delta: the values it holds now and the dots of values it replaced. */
export type WireValue = [v: Json, replica: string, counter: number, stamp: string];
export type WireDot = [replica: string, counter: number];
export type WireRegisterChange = [key: string, values: WireValue[], replaced?: WireDot[]];
export interface WireDeltaEntity {
  readonly type: EntityType;
  readonly id: string;
  readonly ver: number;
  readonly keys: WireRegisterChange[];
}

export interface DeltaFile {
  readonly format: 'super-sync/delta';
  readonly formatVersion: number;
  readonly replica: string;
  readonly createdAt: number;
  readonly dots: DotRanges;
  readonly entities: WireDeltaEntity[];
}

/** A snapshot register value: the replica as an index into `replicas`, to keep the file small. */
export type WireSnapshotValue = [v: Json, replicaIndex: number, counter: number, stamp: string];
export type WireSnapshotEntity = [type: EntityType, id: string, ver: number, keys: Array<[key: string, values: WireSnapshotValue[]]>];

export interface SnapshotFile {
  readonly format: 'super-sync/snapshot';
  readonly formatVersion: number;
  readonly createdAt: number;
  /** Everything the writer had seen (the join uses it to tell removed from never-seen). */
  readonly seen: CausalContextData;
  readonly applied: CausalContextData;
  readonly replicas: string[];
  readonly entities: WireSnapshotEntity[];
}

export function toWireValue(value: RegisterValue): WireValue {
  return [value.v, value.r, value.n, value.t];
}

export function fromWireValue([v, r, n, t]: WireValue): RegisterValue {
  return { v, r, n, t };
}

export function dotsToRanges(counters: number[]): DotRanges {
  const sorted = [...new Set(counters)].sort((a, b) => a - b);
  const ranges: DotRanges = [];
  for (const n of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === n - 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}

// ---------------------------------------------------------------------------------------------
// Validation: everything read from a remote is checked before it touches the state.

class Invalid extends Error {}

function fail(what: string): never {
  throw new Invalid(what);
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) fail(`${what} must be a list`);
  return value;
}

function string(value: unknown, what: string, max = 1024): string {
  if (typeof value !== 'string' || value.length > max) fail(`${what} must be a string of at most ${max} characters`);
  return value;
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${what} must be a whole number`);
  return value;
}

const SAFE_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const FILE_NAME = /^(deltas|snapshots)\/[A-Za-z0-9._-]{1,160}$/;

function replicaId(value: unknown, what: string): string {
  const id = string(value, what, 128);
  if (!SAFE_NAME.test(id)) fail(`${what} has characters a device id cannot have`);
  return id;
}

function fileName(value: unknown, what: string): string {
  const name = string(value, what, 200);
  if (!FILE_NAME.test(name)) fail(`${what} '${name.slice(0, 60)}' is not a delta or snapshot file name`);
  return name;
}

function context(value: unknown, what: string): CausalContextData {
  const data = object(value, what);
  const vv: Record<string, number> = {};
  for (const [replica, counter] of Object.entries(object(data['vv'], `${what}.vv`))) vv[replicaId(replica, `${what} replica`)] = dotCounter(counter, `${what}.vv`);
  if (data['cloud'] === undefined) return { vv };
  const cloud: Record<string, number[]> = {};
  for (const [replica, counters] of Object.entries(object(data['cloud'], `${what}.cloud`))) {
    cloud[replicaId(replica, `${what} replica`)] = array(counters, `${what}.cloud`).map((n) => dotCounter(n, `${what}.cloud`));
  }
  return { vv, cloud };
}

/** No device writes this many values: a counter beyond it comes from a broken or hostile file. */
export const MAX_DOT_COUNTER = 2 ** 40;

function dotCounter(value: unknown, what: string): number {
  const n = count(value, what);
  if (n > MAX_DOT_COUNTER) fail(`${what} counts beyond ${MAX_DOT_COUNTER} writes`);
  return n;
}
const MAX_RANGES_SPAN = 10_000_000;

function ranges(value: unknown, what: string): DotRanges {
  let span = 0;
  return array(value, what).map((range) => {
    const [from, to] = array(range, what);
    const f = count(from, what);
    const t = count(to, what);
    if (f < 1 || t < f) fail(`${what} has an empty range`);
    if (t > MAX_DOT_COUNTER) fail(`${what} counts beyond ${MAX_DOT_COUNTER} writes`);
    span += t - f + 1;
    if (span > MAX_RANGES_SPAN) fail(`${what} claims more writes than any commit holds`);
    return [f, t] as [number, number];
  });
}

function checkFormat(data: Record<string, unknown>, format: string, label: string): void {
  if (data['format'] !== format) fail(`${label} is not a ${format} file`);
  const version = data['formatVersion'];
  if (typeof version !== 'number') fail(`${label} has no format version`);
  if (version > FORMAT_VERSION) {
    throw new SyncError(
      'format-too-new',
      `The sync folder was written by a newer version of this app (format ${version}; this app knows ${FORMAT_VERSION}). Update the app on this device; the remote data is left untouched.`,
    );
  }
}

function wrap<T>(label: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Invalid) {
      throw new SyncError('invalid-remote-data', `${label} on the server is damaged or not ours: ${error.message}. Nothing was applied.`, { path: label });
    }
    // Nesting deeper than the stack allows, or a span too large to hold: damaged data, not a crash.
    if (error instanceof RangeError) {
      throw new SyncError('invalid-remote-data', `${label} on the server is damaged or not ours: ${error.message}. Nothing was applied.`, { path: label, cause: error });
    }
    throw error;
  }
}

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
