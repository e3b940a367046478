import { createActionGroup, props } from '@ngrx/store';
import { DomainData } from './domain-data.model';
import { Metric } from './metric/metric.model';
import { Project } from './project/project.model';
import { Tag } from './tag/tag.model';
import { Task } from './task/task.model';

/** Whole-state replacements. The data must already be consistent (see relations/repair-relations.ts). */
export const PersistenceActions = createActionGroup({
  source: 'Persistence',
  events: {
    'State Loaded': props<{ data: DomainData }>(),
  },
});

export const ImportActions = createActionGroup({
  source: 'Import',
  events: {
    'Data Imported': props<{ data: DomainData }>(),
    /** A backup added to the data as it is when the action runs (see backup/import-merge.meta-reducer.ts). */
    'Data Merged': props<{ data: DomainData }>(),
  },
});

export interface EntitiesToUpsert {
  task?: Task[];
  project?: Project[];
  tag?: Tag[];
  metric?: Metric[];
}

export interface EntityIdsToRemove {
  task?: string[];
  project?: string[];
  tag?: string[];
  metric?: string[];
}

/**
 * Entities that arrive from elsewhere, applied as given: `upsert` entities replace the stored ones
 * whole (adapter setMany), then `remove` ids are deleted (removeMany). The reducers neither stamp
 * nor repair them: the sender hands over a consistent, already stamped set.
 */
export const RemoteEntitiesActions = createActionGroup({
  source: 'Sync',
  events: {
    'Remote Entities Applied': props<{ upsert: EntitiesToUpsert; remove: EntityIdsToRemove }>(),
  },
});
