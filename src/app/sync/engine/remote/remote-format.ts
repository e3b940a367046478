import { CausalContextData } from '../crdt/causal-context';
import { RegisterValue } from '../crdt/entity-record';
import { Json } from '../crdt/json';
import { EntityType } from '../crdt/schema';

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
