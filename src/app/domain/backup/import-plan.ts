import { DomainData, ENTITY_TYPES } from '../domain-data.model';
import { repairRelations } from '../relations/repair-relations';

export type ImportMode = 'replace' | 'merge';

type Stamped = { readonly id: string; readonly lastModifiedAt?: number };

/** What an import does to the data now in the app: how many entities it would delete (replace only). */
export interface ImportImpact {
  readonly deletes: { readonly task: number; readonly project: number; readonly tag: number; readonly metric: number };
  readonly totalDeletes: number;
}

export function importImpact(current: DomainData, backup: DomainData): ImportImpact {
  const deletes = { task: 0, project: 0, tag: 0, metric: 0 };
  for (const type of ENTITY_TYPES) {
    const kept = new Set((backup[type] as Stamped[]).map((entity) => entity.id));
    deletes[type] = (current[type] as Stamped[]).filter((entity) => !kept.has(entity.id)).length;
  }
  return { deletes, totalDeletes: deletes.task + deletes.project + deletes.tag + deletes.metric };
}

/**
 * The data after an import. Replace: the backup, as it is. Merge: everything now in the app plus
 * the backup; where both hold an entity, the one changed last wins (the current one on a tie, kept
 * as the same object so it is no edit); nothing is deleted. The result is repaired like any load.
 */
export function planImport(current: DomainData, backup: DomainData, mode: ImportMode): DomainData {
  if (mode === 'replace') return backup;
  const merged: Record<string, Stamped[]> = {};
  for (const type of ENTITY_TYPES) {
    const byId = new Map((current[type] as Stamped[]).map((entity) => [entity.id, entity]));
    for (const entity of backup[type] as Stamped[]) {
      const mine = byId.get(entity.id);
      if (!mine || (entity.lastModifiedAt ?? 0) > (mine.lastModifiedAt ?? 0)) byId.set(entity.id, entity);
    }
    merged[type] = [...byId.values()];
  }
  return repairRelations(merged as unknown as DomainData).data;
}
