import { entityKey } from '../crdt/schema';
import { ViewChanges } from '../replica/replica-state';

/** `first` then `then`, as one list of what the app must apply: the later change of an entity wins. */
export function mergeViewChanges(first: ViewChanges | null, then: ViewChanges): ViewChanges {
  if (!first) return then;
  const upserted = new Map(first.upserted.map((change) => [entityKey(change.type, change.entity.id), change]));
  const removed = new Map(first.removed.map((change) => [entityKey(change.type, change.id), change]));
  for (const change of then.upserted) {
    const key = entityKey(change.type, change.entity.id);
    removed.delete(key);
    upserted.set(key, change);
  }
  for (const change of then.removed) {
    const key = entityKey(change.type, change.id);
    upserted.delete(key);
    removed.set(key, change);
  }
  return { upserted: [...upserted.values()], removed: [...removed.values()] };
}

export const NO_CHANGES: ViewChanges = { upserted: [], removed: [] };
