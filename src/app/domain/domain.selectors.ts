import { createFeatureSelector, createSelector } from '@ngrx/store';
import { Dictionary } from '@ngrx/entity';
import { MetricState, metricAdapter } from './metric/metric.reducer';
import { ProjectState, projectAdapter } from './project/project.reducer';
import { TagState, tagAdapter } from './tag/tag.reducer';
import { Task } from './task/task.model';
import { TaskState, taskAdapter } from './task/task.reducer';
import { DomainState } from './domain-state';

export const selectTaskState = createFeatureSelector<TaskState>('task');
export const selectProjectState = createFeatureSelector<ProjectState>('project');
export const selectTagState = createFeatureSelector<TagState>('tag');
export const selectMetricState = createFeatureSelector<MetricState>('metric');

const taskSelectors = taskAdapter.getSelectors(selectTaskState);
const projectSelectors = projectAdapter.getSelectors(selectProjectState);
const tagSelectors = tagAdapter.getSelectors(selectTagState);
const metricSelectors = metricAdapter.getSelectors(selectMetricState);

export const selectTaskEntities = taskSelectors.selectEntities;
export const selectAllTasks = taskSelectors.selectAll;
export const selectTaskCount = taskSelectors.selectTotal;
export const selectAllProjects = projectSelectors.selectAll;
export const selectProjectEntities = projectSelectors.selectEntities;
export const selectAllTags = tagSelectors.selectAll;
export const selectTagEntities = tagSelectors.selectEntities;
/** Newest day first. */
export const selectAllMetrics = metricSelectors.selectAll;
export const selectMetricEntities = metricSelectors.selectEntities;

export const selectDomainState = createSelector(
  selectTaskState,
  selectProjectState,
  selectTagState,
  selectMetricState,
  (task, project, tag, metric): DomainState => ({ task, project, tag, metric }),
);

export const selectActiveProjects = createSelector(selectAllProjects, (projects) =>
  projects.filter((p) => !p.isArchived),
);
export const selectArchivedProjects = createSelector(selectAllProjects, (projects) =>
  projects.filter((p) => p.isArchived),
);

export const selectProjectById = (id: string) =>
  createSelector(selectProjectEntities, (entities) => entities[id]);
export const selectTagById = (id: string) => createSelector(selectTagEntities, (entities) => entities[id]);
export const selectTaskById = (id: string) => createSelector(selectTaskEntities, (entities) => entities[id]);
export const selectMetricById = (day: string) =>
  createSelector(selectMetricEntities, (entities) => entities[day]);

/** A line of a task list: a task, and whether it is shown under its parent. */
export interface TaskRow {
  task: Task;
  depth: 0 | 1;
}

function toTasks(ids: string[], entities: Dictionary<Task>): Task[] {
  const tasks: Task[] = [];
  for (const id of ids) {
    const task = entities[id];
    if (task) tasks.push(task);
  }
  return tasks;
}

function withSubTasks(tasks: Task[], entities: Dictionary<Task>): TaskRow[] {
  const rows: TaskRow[] = [];
  for (const task of tasks) {
    rows.push({ task, depth: 0 });
    for (const sub of toTasks(task.subTaskIds, entities)) rows.push({ task: sub, depth: 1 });
  }
  return rows;
}

/** The project's top-level tasks in the person's order, each followed by its subtasks. */
export const selectProjectTaskRows = (projectId: string) =>
  createSelector(selectProjectEntities, selectTaskEntities, (projects, tasks): TaskRow[] => {
    const project = projects[projectId];
    return project ? withSubTasks(toTasks(project.taskIds, tasks), tasks) : [];
  });

/**
 * The tag's tasks in the tag's order; subtasks of a tagged parent follow it, a tagged subtask
 * whose parent is not tagged stands on its own line.
 */
export const selectTagTaskRows = (tagId: string) =>
  createSelector(selectTagEntities, selectTaskEntities, (tags, tasks): TaskRow[] => {
    const tag = tags[tagId];
    if (!tag) return [];
    const tagged = toTasks(tag.taskIds, tasks);
    const taggedIds = new Set(tag.taskIds);
    const rows: TaskRow[] = [];
    for (const task of tagged) {
      if (task.parentId && taggedIds.has(task.parentId)) continue; // shown under its parent
      rows.push({ task, depth: 0 });
      for (const sub of toTasks(task.subTaskIds, tasks)) rows.push({ task: sub, depth: 1 });
    }
    return rows;
  });

/**
 * The Inbox: every top-level task in no project (added on a tag page, or whose project was
 * deleted elsewhere), oldest first, each followed by its subtasks. Without it such a task would
 * show on no page once its tags are gone.
 */
export const selectInboxTaskRows = createSelector(selectAllTasks, selectTaskEntities, (all, tasks): TaskRow[] =>
  withSubTasks(
    all.filter((t) => t.parentId === null && t.projectId === null).sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    tasks,
  ),
);

export const selectInboxOpenCount = createSelector(selectInboxTaskRows, (rows) => rows.filter((r) => r.depth === 0 && !r.task.isDone).length);

/** Open top-level tasks per tag: what the navigation shows beside each tag, as it does for projects. */
export const selectOpenTaskCountByTag = createSelector(selectAllTags, selectTaskEntities, (tags, tasks): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const tag of tags) counts[tag.id] = toTasks(tag.taskIds, tasks).filter((t) => !t.isDone).length;
  return counts;
});

export const selectSubTasks = (taskId: string) =>
  createSelector(selectTaskEntities, (tasks) => toTasks(tasks[taskId]?.subTaskIds ?? [], tasks));

export const selectOpenTaskCountByProject = createSelector(
  selectAllProjects,
  selectTaskEntities,
  (projects, tasks): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const p of projects) counts[p.id] = toTasks(p.taskIds, tasks).filter((t) => !t.isDone).length;
    return counts;
  },
);
