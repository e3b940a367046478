import { Metric } from './metric/metric.model';
import { Project } from './project/project.model';
import { Tag } from './tag/tag.model';
import { Task } from './task/task.model';

export const ENTITY_TYPES = ['task', 'project', 'tag', 'metric'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface EntityByType {
  task: Task;
  project: Project;
  tag: Tag;
  metric: Metric;
}

/** The whole of a person's data as plain lists: what is loaded, imported and exported. */
export type DomainData = { [K in EntityType]: EntityByType[K][] };

export function emptyDomainData(): DomainData {
  return { task: [], project: [], tag: [], metric: [] };
}
