import { EntityAdapter, EntityState } from '@ngrx/entity';

/** Replaces and removes entities as the sender gave them; untouched entities keep their identity. */
export function applyRemoteEntities<T, S extends EntityState<T>>(
  adapter: EntityAdapter<T>,
  state: S,
  upsert: T[] | undefined,
  remove: string[] | undefined,
): S {
  let next = state;
  if (upsert?.length) next = adapter.setMany(upsert, next);
  if (remove?.length) next = adapter.removeMany(remove, next);
  return next;
}
