import { EntityRecord, isConflicted } from '../crdt/entity-record';
import { materialize, parseRegisterKey } from '../crdt/materialize';
import { DomainEntity, splitEntityKey } from '../crdt/schema';
import { IncrementalRepair } from './incremental-repair';
import { ViewChanges } from './persisted';

/**
 * What the records give, kept up to date record by record so that a round that changed a few
 * records costs about what those cost: the repaired entities (incremental-repair.ts) and the keys
 * of records with an open conflict (so listing conflicts does not scan every record).
 */
export class DerivedView {
  private readonly repair = new IncrementalRepair();
  /** Keys of records with concurrent siblings in a register other than a list position. */
  readonly conflicted = new Set<string>();

  /** A record was created, changed or dropped. */
  note(key: string, record: EntityRecord | undefined): void {
    const { type, id } = splitEntityKey(key);
    this.repair.set(type, id, record ? materialize(record) : null);
    if (record && hasOpenConflict(record)) this.conflicted.add(key);
    else this.conflicted.delete(key);
  }

  /** Bring `view` to the repaired entities and say what changed. Only what the noted records can reach is looked at. */
  refresh(view: Map<string, DomainEntity>): ViewChanges {
    const repaired = this.repair.repaired;
    const upserted: ViewChanges['upserted'] = [];
    const removed: ViewChanges['removed'] = [];
    for (const key of this.repair.refresh()) {
      const { type, id } = splitEntityKey(key);
      const entity = repaired[type].get(id);
      const before = view.get(key);
      if (!entity) {
        if (!before) continue;
        view.delete(key);
        removed.push({ type, id });
        continue;
      }
      if (before === entity) continue;
      // The same content under another object (the app's own copy of a local edit): keep the
      // repaired object, so the next refresh compares references.
      view.set(key, entity);
      if (!before || !sameEntity(before, entity)) upserted.push({ type, entity });
    }
    return { upserted, removed };
  }
}

export function hasOpenConflict(record: EntityRecord): boolean {
  for (const [register, values] of record.keys) {
    if (isConflicted(values) && parseRegisterKey(record.type, register).kind !== 'ordered-ids') return true;
  }
  return false;
}

/** Field-wise equality of two domain entities (arrays and objects compared by content). */
export function sameEntity(a: DomainEntity, b: DomainEntity): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}
