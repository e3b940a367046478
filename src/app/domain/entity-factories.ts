import { Metric, MetricFields } from './metric/metric.model';
import { Project } from './project/project.model';
import { CreationStamp, initialMetadata } from './sync-metadata.model';
import { Tag } from './tag/tag.model';
import { Task } from './task/task.model';

/** Pure constructors for new entities; the caller brings the id and the stamp (clock, device). */
export function newTask(
  id: string,
  fields: Partial<Pick<Task, 'title' | 'notes' | 'projectId' | 'parentId' | 'tagIds' | 'timeEstimate' | 'dueDay'>>,
  stamp: CreationStamp,
): Task {
  return {
    id,
    title: fields.title ?? '',
    notes: fields.notes ?? '',
    isDone: false,
    doneOn: null,
    projectId: fields.projectId ?? null,
    parentId: fields.parentId ?? null,
    subTaskIds: [],
    tagIds: fields.tagIds ?? [],
    timeEstimate: fields.timeEstimate ?? 0,
    timeSpent: 0,
    timeSpentOnDay: {},
    dueDay: fields.dueDay ?? null,
    created: stamp.now,
    ...initialMetadata(stamp),
  };
}

export const PROJECT_COLORS = ['#3f51b5', '#009688', '#e91e63', '#ff9800', '#673ab7', '#4caf50', '#795548', '#00bcd4'];

export function newProject(id: string, title: string, primary: string, stamp: CreationStamp): Project {
  return {
    id,
    title,
    taskIds: [],
    backlogTaskIds: [],
    theme: { primary },
    isArchived: false,
    ...initialMetadata(stamp),
  };
}

export function newTag(id: string, title: string, color: string, stamp: CreationStamp): Tag {
  return { id, title, taskIds: [], color, ...initialMetadata(stamp) };
}

export function newMetric(day: string, fields: MetricFields, stamp: CreationStamp): Metric {
  return { id: day, ...fields, ...initialMetadata(stamp) };
}

/** The local calendar day of a moment, as YYYY-MM-DD. */
export function toDayString(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
