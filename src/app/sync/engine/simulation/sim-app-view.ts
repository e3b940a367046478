import { DomainEntity, ENTITY_TYPES, entityKey } from '../crdt/schema';
import { sameEntity, ViewChanges } from '../replica/replica-state';
import { SyncEngine } from '../sync-engine';
import { Device } from './sim-types';

/**
 * The app beside each simulated engine: it shows the engine's view when it opens and after its own
 * edits, and then only what rounds tell it (a result's changes, a failed round's `adopted`), as
 * LocalWriter does. A round that changes the view without saying so leaves it behind.
 */

/** What the app does with a round's changes. */
export function show(device: Device, changes: ViewChanges | null | undefined): void {
  for (const { type, entity } of changes?.upserted ?? []) device.shown.set(entityKey(type, entity.id), entity);
  for (const { type, id } of changes?.removed ?? []) device.shown.delete(entityKey(type, id));
}

/** Every entity of an engine's view, by key. */
export function viewOf(engine: SyncEngine): Map<string, DomainEntity> {
  return new Map(ENTITY_TYPES.flatMap((type) => engine.entities(type).map((entity) => [entityKey(type, entity.id), entity] as const)));
}

/** Entities the app shows otherwise than its engine holds them. */
export function laggingEntities(device: Device): string[] {
  const view = viewOf(device.engine);
  return [...new Set([...view.keys(), ...device.shown.keys()])].filter((key) => {
    const shown = device.shown.get(key);
    const held = view.get(key);
    return !shown || !held ? shown !== held : !sameEntity(shown, held);
  });
}
