import { CausalContext, Dot } from '../crdt/causal-context';
import { DELETED_KEY, EntityRecord, applyRegisterChange, cloneRecord, isDeleted, joinRegister, newRecord, sameRegister } from '../crdt/entity-record';
import { materialize } from '../crdt/materialize';
import { DomainEntity, EntityType, entityKey } from '../crdt/schema';
import { ParsedDelta, ParsedSnapshot } from '../remote/parse-files';
import { SyncError } from '../sync-error';
import { ReplicaState } from './replica-state';

/**
 * A merge in progress: records are copied on first change, so a round can inspect the outcome
 * (mass-delete check, dry run) before anything is committed to the state.
 */
export class MergeSession {
  readonly touched = new Map<string, EntityRecord>();
  readonly seen: CausalContext;
  readonly applied: CausalContext;
  /** Registers that gained a sibling from another device in this merge. */
  newConflicts = 0;
  maxStamp = '';

  constructor(private readonly state: ReplicaState) {
    this.seen = state.seen.clone();
    this.applied = state.applied.clone();
  }

  private record(type: EntityType, id: string): EntityRecord {
    const key = entityKey(type, id);
    let record = this.touched.get(key);
    if (!record) {
      const existing = this.state.records.get(key);
      record = existing ? cloneRecord(existing) : newRecord(type, id);
      this.touched.set(key, record);
    }
    return record;
  }

  private current(type: EntityType, id: string): EntityRecord | undefined {
    const key = entityKey(type, id);
    return this.touched.get(key) ?? this.state.records.get(key);
  }

  applyDelta(delta: ParsedDelta): void {
    const before = this.seen.clone();
    const writer: Dot = [delta.replica, delta.dots.reduce((max, [, to]) => Math.max(max, to), 0)];
    for (const entity of delta.entities) {
      const existing = this.current(entity.type, entity.id);
      let record: EntityRecord | undefined;
      for (const change of entity.changes) {
        for (const value of change.values) if (value.t > this.maxStamp) this.maxStamp = value.t;
        const target = existing ?? newRecord(entity.type, entity.id);
        const hadConflict = (target.keys.get(change.key)?.length ?? 0) > 1;
        // Copy the record only when this change really changes it.
        const probe = applyRegisterChange(cloneShallow(target, change.key), change.key, change, before, writer);
        if (!probe) continue;
        record ??= this.record(entity.type, entity.id);
        applyRegisterChange(record, change.key, change, before, writer);
        if (!hadConflict && (record.keys.get(change.key)?.length ?? 0) > 1 && change.key !== DELETED_KEY) this.newConflicts++;
      }
      if (entity.ver > (existing?.ver ?? 0)) (record ??= this.record(entity.type, entity.id)).ver = entity.ver;
    }
    for (const entity of delta.entities) {
      for (const change of entity.changes) {
        for (const value of change.values) this.seen.add([value.r, value.n]);
        for (const dot of change.replaced) this.seen.add(dot);
      }
    }
    try {
      // Every dot a delta claims is a write whose outcome it carries: held, or replaced within it.
      for (const [from, to] of delta.dots) {
        this.applied.addRange(delta.replica, from, to);
        this.seen.addRange(delta.replica, from, to);
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new SyncError('invalid-remote-data', `A change file of ${delta.replica} on the server claims impossible writes (${error.message}). Nothing was applied.`, { cause: error });
    }
  }

  applySnapshot(snapshot: ParsedSnapshot): void {
    const theirs = CausalContext.from(snapshot.seen);
    const mine = this.seen.clone();
    const inSnapshot = new Set<string>();
    for (const entity of snapshot.entities) {
      const key = entityKey(entity.type, entity.id);
      inSnapshot.add(key);
      const existing = this.current(entity.type, entity.id);
      const incoming = new Map(entity.keys);
      const keys = new Set([...incoming.keys(), ...(existing?.keys.keys() ?? [])]);
      let record: EntityRecord | undefined;
      for (const register of keys) {
        const local = existing?.keys.get(register) ?? [];
        const remote = incoming.get(register) ?? [];
        for (const value of remote) if (value.t > this.maxStamp) this.maxStamp = value.t;
        const joined = joinRegister(local, (dot) => mine.has(dot), remote, (dot) => theirs.has(dot));
        if (sameRegister(local, joined)) continue;
        record ??= this.record(entity.type, entity.id);
        if (joined.length) record.keys.set(register, joined);
        else record.keys.delete(register);
      }
      if (entity.ver > (existing?.ver ?? 0)) (record ??= this.record(entity.type, entity.id)).ver = entity.ver;
    }
    // Records the snapshot does not name: drop values its writer saw and no longer holds.
    for (const [key, existing] of this.state.records) {
      if (inSnapshot.has(key)) continue;
      const current = this.touched.get(key) ?? existing;
      let record: EntityRecord | undefined;
      for (const [register, values] of current.keys) {
        const kept = values.filter((value) => !theirs.has([value.r, value.n]));
        if (kept.length === values.length) continue;
        record ??= this.record(current.type, current.id);
        if (kept.length) record.keys.set(register, kept);
        else record.keys.delete(register);
      }
    }
    this.seen.addAll(theirs);
    this.applied.addAll(CausalContext.from(snapshot.applied));
  }

  /** Move the merged records into the state; returns the changed entity keys. */
  commit(): string[] {
    this.state.recordsVersion++;
    for (const [key, record] of this.touched) this.state.records.set(key, record);
    this.state.seen = this.seen;
    this.state.applied = this.applied;
    if (this.maxStamp) this.state.observeStamp(this.maxStamp);
    return [...this.touched.keys()];
  }

  /** How many entities the app shows that this merge would remove (no entity is built to tell). */
  removals(): number {
    let count = 0;
    for (const [key, record] of this.touched) if (this.state.view.has(key) && isDeleted(record)) count++;
    return count;
  }

  /** The entities this merge would change, as the app would see them. */
  preview(): Array<{ key: string; before: DomainEntity | null; after: DomainEntity | null }> {
    return [...this.touched].map(([key, record]) => ({ key, before: this.state.view.get(key) ?? null, after: materialize(record) }));
  }
}

function cloneShallow(record: EntityRecord, key: string): EntityRecord {
  const copy = newRecord(record.type, record.id);
  const values = record.keys.get(key);
  if (values) copy.keys.set(key, values);
  return copy;
}
