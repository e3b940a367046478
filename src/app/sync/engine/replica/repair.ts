import { DomainEntity, EntityType } from '../crdt/schema';

/**
 * Referential repair (SYNC.md §1.6), a pure function of the entities, so every device repairs the
 * same way. The one repair of the app: the engine runs it on every merge, the app on load and
 * import (domain/relations/repair-relations.ts adapts it), so a restart never turns a difference
 * between the two into a synced write. A task's own fields are the truth; the id lists follow them:
 * - a task's project, parent or tags that no longer exist are dropped (a parent must itself be top-level);
 * - a subtask lives in its parent's project;
 * - `project.taskIds`/`backlogTaskIds` hold the project's live top-level tasks once each,
 *   `task.subTaskIds` the live tasks naming it as parent, `tag.taskIds` the live tasks carrying the tag;
 * - ids missing from a list are appended in (created, id) order; ids that do not belong are dropped.
 * Entities that need no repair are returned as the same objects. `report` hears one sentence per repair.
 */
export type EntitiesByType = Record<EntityType, Map<string, DomainEntity>>;

export function repairReferences(input: EntitiesByType, report: (repair: string) => void = () => undefined): EntitiesByType {
  const tasks = new Map<string, DomainEntity>();
  const projects = input.project;
  const tags = input.tag;

  for (const [id, task] of input.task) {
    let fixed = task;
    const projectId = task['projectId'];
    if (typeof projectId === 'string' && !projects.has(projectId)) {
      report(`task '${id}': project '${projectId}' does not exist, the task is now in no project`);
      fixed = { ...fixed, projectId: null };
    }
    const tagIds = stringList(task['tagIds']);
    const liveTags = unique(tagIds.filter((tag) => tags.has(tag)));
    if (liveTags.length !== tagIds.length || !Array.isArray(task['tagIds'])) {
      const missing = tagIds.filter((tag) => !tags.has(tag));
      if (missing.length) report(`task '${id}': tag(s) ${missing.map((m) => `'${m}'`).join(', ')} do not exist and were removed`);
      fixed = { ...fixed, tagIds: liveTags };
    }
    tasks.set(id, fixed);
  }
  for (const [id, task] of tasks) {
    const parentId = task['parentId'];
    if (parentId === undefined || parentId === null) continue;
    const parent = typeof parentId === 'string' ? input.task.get(parentId) : undefined;
    const parentIsTopLevel = parent !== undefined && (parent['parentId'] === null || parent['parentId'] === undefined || !input.task.has(parent['parentId'] as string));
    if (!parent) report(`task '${id}': parent task '${String(parentId)}' does not exist, it became a top-level task`);
    else if (parentId === id || !parentIsTopLevel) report(`task '${id}': parent task '${String(parentId)}' is itself a subtask, it became a top-level task`);
    if (!parent || parentId === id || !parentIsTopLevel) tasks.set(id, { ...task, parentId: null });
  }
  for (const [id, task] of tasks) {
    const parentId = task['parentId'];
    if (typeof parentId !== 'string') continue;
    const projectId = tasks.get(parentId)?.['projectId'] ?? null;
    if ((task['projectId'] ?? null) !== projectId) {
      report(`task '${id}': moved to its parent's project`);
      tasks.set(id, { ...task, projectId });
    }
  }

  const byCreation = (a: string, b: string) => {
    const ca = Number(tasks.get(a)?.['created'] ?? 0);
    const cb = Number(tasks.get(b)?.['created'] ?? 0);
    return ca !== cb ? ca - cb : a < b ? -1 : a > b ? 1 : 0;
  };

  const topLevelByProject = groupBy(tasks, (task) => (isTopLevel(task) && typeof task['projectId'] === 'string' ? (task['projectId'] as string) : null));
  const childrenByParent = groupBy(tasks, (task) => (typeof task['parentId'] === 'string' ? (task['parentId'] as string) : null));
  const tasksByTag = new Map<string, Set<string>>();
  for (const task of tasks.values()) {
    for (const tag of stringList(task['tagIds'])) {
      let set = tasksByTag.get(tag);
      if (!set) tasksByTag.set(tag, (set = new Set()));
      set.add(task.id);
    }
  }

  const repairedTasks = new Map<string, DomainEntity>();
  for (const [id, task] of tasks) {
    const subTaskIds = orderedMembers(task['subTaskIds'], childrenByParent.get(id) ?? new Set(), byCreation);
    const same = sameList(task['subTaskIds'], subTaskIds);
    if (!same) report(`task '${id}': subtask list corrected`);
    repairedTasks.set(id, same ? task : { ...task, subTaskIds });
  }

  const repairedProjects = new Map<string, DomainEntity>();
  for (const [id, project] of projects) {
    const belonging = topLevelByProject.get(id) ?? new Set<string>();
    const listed = unique(stringList(project['taskIds']).filter((task) => belonging.has(task)));
    const inMain = new Set(listed);
    const backlogTaskIds = unique(stringList(project['backlogTaskIds']).filter((task) => belonging.has(task) && !inMain.has(task)));
    const placed = new Set([...listed, ...backlogTaskIds]);
    const taskIds = listed.concat([...belonging].filter((task) => !placed.has(task)).sort(byCreation));
    const changed = !sameList(project['taskIds'], taskIds) || !sameList(project['backlogTaskIds'], backlogTaskIds);
    if (changed) report(`project '${id}': task list corrected`);
    repairedProjects.set(id, changed ? { ...project, taskIds, backlogTaskIds } : project);
  }

  const repairedTags = new Map<string, DomainEntity>();
  for (const [id, tag] of tags) {
    const taskIds = orderedMembers(tag['taskIds'], tasksByTag.get(id) ?? new Set(), byCreation);
    const same = sameList(tag['taskIds'], taskIds);
    if (!same) report(`tag '${id}': task list corrected`);
    repairedTags.set(id, same ? tag : { ...tag, taskIds });
  }

  return { task: repairedTasks, project: repairedProjects, tag: repairedTags, metric: input.metric };
}

export function isTopLevel(task: DomainEntity): boolean {
  return task['parentId'] === null || task['parentId'] === undefined;
}

/** The list's own order for ids that belong, then the belonging ids it lacks, in creation order. */
export function orderedMembers(list: unknown, belonging: Set<string>, order: (a: string, b: string) => number): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const id of stringList(list)) {
    if (belonging.has(id) && !seen.has(id)) {
      seen.add(id);
      result.push(id);
    }
  }
  const missing = [...belonging].filter((id) => !seen.has(id)).sort(order);
  return missing.length ? result.concat(missing) : result;
}

function groupBy(tasks: Map<string, DomainEntity>, key: (task: DomainEntity) => string | null): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const task of tasks.values()) {
    const group = key(task);
    if (group === null) continue;
    let set = groups.get(group);
    if (!set) groups.set(group, (set = new Set()));
    set.add(task.id);
  }
  return groups;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export function sameList(value: unknown, list: string[]): boolean {
  return Array.isArray(value) && value.length === list.length && value.every((item, i) => item === list[i]);
}
