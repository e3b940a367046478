import { EntityRecord, isConflicted } from '../crdt/entity-record';
import { materialize, parseRegisterKey } from '../crdt/materialize';
import { DomainEntity, ENTITY_TYPES, entityKey, EntityType, splitEntityKey } from '../crdt/schema';
import { ViewChanges } from './persisted';
import { EntitiesByType, repairReferences } from './repair';

/**
 * What the records give, kept up to date record by record so that a round that changed a few
 * records costs little more than those: the materialized entities by type (the repair's input,
 * never rebuilt), and the keys of records with an open conflict (so listing conflicts does not
 * scan every record). The repair itself still runs over every entity (it is one pure function of
 * all of them, SYNC.md §1.6); entities it leaves as they were keep their object, so comparing the
 * view with it is a reference check for everything untouched.
 */
export class DerivedView {
  private readonly raw = Object.fromEntries(ENTITY_TYPES.map((type) => [type, new Map<string, DomainEntity>()])) as EntitiesByType;
  /** Keys of records with concurrent siblings in a register other than a list position. */
  readonly conflicted = new Set<string>();

  /** A record was created, changed or dropped. */
  note(key: string, record: EntityRecord | undefined): void {
    const { type, id } = splitEntityKey(key);
    const entity = record ? materialize(record) : null;
    if (entity) this.raw[type].set(id, entity);
    else this.raw[type].delete(id);
    if (record && hasOpenConflict(record)) this.conflicted.add(key);
    else this.conflicted.delete(key);
  }

  /**
   * Bring `view` to the repaired entities and say what changed. `touched`: the keys whose records
   * changed since the last refresh (only they can leave the view); none: every key is checked.
   */
  refresh(view: Map<string, DomainEntity>, touched?: Iterable<string>): ViewChanges {
    const repaired = repairReferences(this.raw);
    const upserted: ViewChanges['upserted'] = [];
    const removed: ViewChanges['removed'] = [];
    for (const type of ENTITY_TYPES) {
      for (const entity of repaired[type].values()) {
        const key = entityKey(type, entity.id);
        const before = view.get(key);
        if (before === entity) continue;
        // The same content under another object (the app's own copy of a local edit): keep the
        // repaired object, so the next refresh compares references.
        view.set(key, entity);
        if (!before || !sameEntity(before, entity)) upserted.push({ type, entity });
      }
    }
    const candidates = touched ? [...touched] : [...view.keys()];
    for (const key of candidates) {
      const { type, id } = splitEntityKey(key);
      if (!view.has(key) || repaired[type as EntityType].has(id)) continue;
      view.delete(key);
      removed.push({ type, id });
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
