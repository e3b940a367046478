import { Action, ActionReducer } from '@ngrx/store';
import { EntityState } from '@ngrx/entity';
import { PersistenceActions, RemoteEntitiesActions } from '../../domain/app-data.actions';
import { DomainState } from '../../domain/domain-state';
import { ENTITY_TYPES } from '../../domain/domain-data.model';
import { EntitySyncMetadata } from '../../domain/sync-metadata.model';

/** Actions whose entities arrive already stamped: applying them must not look like a local edit. */
const NOT_LOCAL_EDITS: ReadonlySet<string> = new Set([RemoteEntitiesActions.remoteEntitiesApplied.type, PersistenceActions.stateLoaded.type]);

type Stamped = { id: string } & EntitySyncMetadata;
type RootWithDevice = DomainState & { persistence?: { deviceId?: string | null } };

/**
 * The plan's EntitySyncMetadata, kept by one meta-reducer so the domain reducers stay unaware of
 * sync: after every local action, each entity the action created or changed gets `version + 1`,
 * `lastModifiedAt` = now and `lastModifiedBy` = this device. Changes are found by reference
 * (adapters keep untouched entities identical), so a slice the action did not touch costs one
 * comparison. What changed in detail (which fields, which list elements) is the sync engine's
 * business when the change is recorded (`LocalWriter`).
 */
export function syncStampingMetaReducer(clock: () => number) {
  return <S extends RootWithDevice>(reducer: ActionReducer<S>): ActionReducer<S> =>
    (state: S | undefined, action: Action): S => {
      const next = reducer(state, action);
      if (!state || next === state || NOT_LOCAL_EDITS.has(action.type)) return next;
      const deviceId = next.persistence?.deviceId;
      if (!deviceId) return next;
      let result = next;
      let now: number | null = null;
      for (const type of ENTITY_TYPES) {
        const before = state[type] as EntityState<Stamped>;
        const after = next[type] as EntityState<Stamped>;
        if (!before || !after || before.entities === after.entities) continue;
        const stamped = stampSlice(before, after, deviceId, () => (now ??= clock()));
        if (stamped !== after) result = { ...result, [type]: stamped };
      }
      return result;
    };
}

function stampSlice(before: EntityState<Stamped>, after: EntityState<Stamped>, deviceId: string, now: () => number): EntityState<Stamped> {
  // The reducer just built `after.entities` for this action: nothing else holds it yet, so the
  // stamped entities can go straight into it instead of copying a 10,000-key map again.
  // (Should a runtime check have frozen it already, copy once.)
  let entities: Record<string, Stamped> | null = Object.isFrozen(after.entities) ? null : (after.entities as Record<string, Stamped>);
  let copied = false;
  const ids = after.ids as string[];
  const previousEntities = before.entities;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const entity = after.entities[id]!;
    const previous = previousEntities[id];
    if (entity === previous) continue;
    const version = previous ? previous.version + 1 : entity.version || 1;
    if (entity.version === version && entity.lastModifiedBy === deviceId && previous) continue;
    if (!entities) {
      entities = { ...(after.entities as Record<string, Stamped>) };
      copied = true;
    }
    entities[id] = { ...entity, version, lastModifiedAt: now(), lastModifiedBy: deviceId };
  }
  return copied ? { ...after, entities: entities! } : after;
}

