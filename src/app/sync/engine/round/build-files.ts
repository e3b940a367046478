import { DeltaFile, DotRanges, FORMAT_VERSION, SnapshotFile, WireSnapshotEntity, toWireValue } from '../remote/remote-format';
import { ReplicaState } from '../replica/replica-state';

/** A delta of this device's dirty registers: every value each holds now, and what each write replaced. */
export function buildDelta(state: ReplicaState, now: number, dots: DotRanges): DeltaFile {
  const entities: DeltaFile['entities'] = [];
  for (const [key, dirty] of state.dirty) {
    const record = state.records.get(key);
    if (!record) continue;
    entities.push({
      type: record.type,
      id: record.id,
      ver: record.ver,
      keys: [...dirty].map(([register, info]) => {
        const values = (record.keys.get(register) ?? []).map(toWireValue);
        return info.replaced.length ? [register, values, info.replaced.map(([r, n]) => [r, n] as [string, number])] : [register, values];
      }),
    });
  }
  return { format: 'super-sync/delta', formatVersion: FORMAT_VERSION, replica: state.replica, createdAt: now, dots, entities };
}

/** Every record this device holds, with the causal context of everything it has seen and applied. */
export function buildSnapshot(state: ReplicaState, now: number): SnapshotFile {
  const replicas: string[] = [];
  const index = new Map<string, number>();
  const replicaIndex = (replica: string) => {
    let i = index.get(replica);
    if (i === undefined) {
      i = replicas.push(replica) - 1;
      index.set(replica, i);
    }
    return i;
  };
  const entities: WireSnapshotEntity[] = [];
  for (const record of state.records.values()) {
    entities.push([record.type, record.id, record.ver, [...record.keys].map(([key, values]) => [key, values.map((value) => [value.v, replicaIndex(value.r), value.n, value.t])])]);
  }
  return {
    format: 'super-sync/snapshot',
    formatVersion: FORMAT_VERSION,
    createdAt: now,
    seen: state.seen.toData(),
    applied: state.applied.toData(),
    replicas,
    entities,
  };
}
