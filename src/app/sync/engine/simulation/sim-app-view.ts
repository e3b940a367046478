import { DomainEntity, ENTITY_TYPES, entityKey, splitEntityKey } from '../crdt/schema';
import { materialize } from '../crdt/materialize';
import { hasOpenConflict } from '../replica/derived-view';
import { repairReferences } from '../replica/repair';
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
function laggingEntities(device: Device): string[] {
  const view = viewOf(device.engine);
  return [...new Set([...view.keys(), ...device.shown.keys()])].filter((key) => {
    const shown = device.shown.get(key);
    const held = view.get(key);
    return !shown || !held ? shown !== held : !sameEntity(shown, held);
  });
}

/**
 * What the engine keeps up to date record by record, against a rebuild from all its records: the
 * view (materialized and repaired) and the keys with open conflicts. Empty when they agree.
 */
export function derivedDrift(engine: SyncEngine): string[] {
  const byType = Object.fromEntries(ENTITY_TYPES.map((type) => [type, new Map<string, DomainEntity>()])) as Parameters<typeof repairReferences>[0];
  const conflicted = new Set<string>();
  for (const [key, record] of engine.state.records) {
    const entity = materialize(record);
    if (entity) byType[record.type].set(entity.id, entity);
    if (hasOpenConflict(record)) conflicted.add(key);
  }
  const rebuilt = repairReferences(byType);
  const drift: string[] = [];
  const view = engine.state.view;
  for (const type of ENTITY_TYPES) {
    for (const entity of rebuilt[type].values()) {
      const held = view.get(entityKey(type, entity.id));
      if (!held || !sameEntity(held, entity)) drift.push(`view ${entityKey(type, entity.id)}`);
    }
  }
  for (const key of view.keys()) {
    const { type, id } = splitEntityKey(key);
    if (!rebuilt[type].has(id)) drift.push(`view ${key} (not in the records)`);
  }
  const held = engine.state.conflictedKeys;
  for (const key of conflicted) if (!held.has(key)) drift.push(`conflict ${key} not listed`);
  for (const key of held) if (!conflicted.has(key)) drift.push(`conflict ${key} listed but closed`);
  return drift;
}

/** Rule 4 for the app: what it shows, told only what rounds report, is the engine's view after every round, failed ones too. */
export function lagViolation(device: Device, step: number): string | null {
  const lagging = laggingEntities(device);
  return lagging.length ? `rule 4 (the app is told): after a round, device ${device.index} shows ${lagging.length} entities otherwise than its engine holds them, e.g. ${lagging.slice(0, 3).join(', ')} (step ${step})` : null;
}

/** What the engine keeps up to date record by record equals a rebuild from all its records (the view only once a round has repaired it). */
export function derivedViolation(device: Device, step: number, what: { view: boolean }): string | null {
  const drift = derivedDrift(device.engine).filter((entry) => what.view || !entry.startsWith('view '));
  return drift.length ? `rule 6 (the view is the repaired records): device ${device.index} keeps ${drift.length} derived entries otherwise than a rebuild gives them, e.g. ${drift.slice(0, 3).join('; ')} (step ${step})` : null;
}
