import { EntityState } from '@ngrx/entity';
import { EntityByType, EntityType, ENTITY_TYPES } from './domain-data.model';

export interface EntityChanges<T> {
  created: T[];
  updated: T[];
  /** The entities as they were before removal. */
  removed: T[];
}

export type DomainDiff = { [K in EntityType]: EntityChanges<EntityByType[K]> };

/** Any root state that holds the domain's entity slices (extra keys are ignored). */
export type EntitySlices = { [K in EntityType]: EntityState<EntityByType[K]> };

function diffSlice<T>(prev: EntityState<T>, next: EntityState<T>): EntityChanges<T> {
  const changes: EntityChanges<T> = { created: [], updated: [], removed: [] };
  // Adapters keep the entities map when nothing in the slice changed: skip without looking inside.
  if (prev === next || prev.entities === next.entities) return changes;
  // One pointer comparison per id: entities an action did not touch are the identical object.
  for (const id of next.ids as (string | number)[]) {
    const after = next.entities[id];
    const before = prev.entities[id];
    if (!before) changes.created.push(after!);
    else if (before !== after) changes.updated.push(after!);
  }
  for (const id of prev.ids as (string | number)[]) {
    if (!next.entities[id]) changes.removed.push(prev.entities[id]!);
  }
  return changes;
}

/** What changed between two root states, per entity type, found by reference comparison. */
export function diffEntities(prev: EntitySlices, next: EntitySlices): DomainDiff {
  return {
    task: diffSlice(prev.task, next.task),
    project: diffSlice(prev.project, next.project),
    tag: diffSlice(prev.tag, next.tag),
    metric: diffSlice(prev.metric, next.metric),
  };
}

export function isEmptyDiff(diff: DomainDiff): boolean {
  return ENTITY_TYPES.every(
    (type) => !diff[type].created.length && !diff[type].updated.length && !diff[type].removed.length,
  );
}

export function countChanges(diff: DomainDiff): number {
  return ENTITY_TYPES.reduce(
    (n, type) => n + diff[type].created.length + diff[type].updated.length + diff[type].removed.length,
    0,
  );
}
