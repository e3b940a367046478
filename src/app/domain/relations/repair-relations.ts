import { DomainEntity } from '../../sync/engine/crdt/schema';
import { EntitiesByType, repairReferences } from '../../sync/engine/replica/repair';
import { DomainData, ENTITY_TYPES } from '../domain-data.model';

export interface RepairResult {
  data: DomainData;
  /** One sentence per repair, naming the entity, e.g. "task 'a': project 'p' does not exist ...". */
  repairs: string[];
}

/**
 * Makes the id lists and the tasks' own references agree, on load and import, by the one rule
 * every device applies on every merge (sync/engine/replica/repair.ts): the same input gives the
 * same output here and in the engine, so a restart never finds a difference to sync. Entities keep
 * their order; those that need no repair are returned as the same objects.
 */
export function repairRelations(input: DomainData): RepairResult {
  const repairs: string[] = [];
  const byType = Object.fromEntries(
    ENTITY_TYPES.map((type) => [type, new Map((input[type] as unknown as DomainEntity[]).map((entity) => [entity.id, entity]))]),
  ) as EntitiesByType;
  const repaired = repairReferences(byType, (repair) => repairs.push(repair));
  const data = Object.fromEntries(ENTITY_TYPES.map((type) => [type, [...repaired[type].values()]])) as unknown as DomainData;
  return { data, repairs };
}
