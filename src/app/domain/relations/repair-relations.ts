import { DomainData } from '../domain-data.model';
import { Project } from '../project/project.model';
import { Tag } from '../tag/tag.model';
import { Task } from '../task/task.model';

export interface RepairResult {
  data: DomainData;
  /** One sentence per repair, naming the entity, e.g. "task 'a': project 'p' does not exist ...". */
  repairs: string[];
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Keeps `listed` ids that `belongs` accepts, once each, in their order, then appends members not listed. */
function reconcile(listed: string[], members: string[], belongs: (id: string) => boolean): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of listed) {
    if (!seen.has(id) && belongs(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  for (const id of members) if (!seen.has(id)) out.push(id);
  return out;
}

/**
 * Makes the id lists and the tasks' own references agree, deterministically: a task's own fields
 * (projectId, parentId, tagIds) are the truth once they point at something that exists, except
 * that a tag listing an existing task keeps it (the task gains the tag); lists keep
 * their order and gain the members they were missing at the end. Entities that need no repair
 * are returned as the same objects.
 */
export function repairRelations(input: DomainData): RepairResult {
  const repairs: string[] = [];
  const projects = new Map(input.project.map((p) => [p.id, p]));
  const tags = new Map(input.tag.map((t) => [t.id, t]));
  const rawTasks = new Map(input.task.map((t) => [t.id, t]));

  // A tag that lists a task the task does not name: Super Productivity keeps TODAY this way
  // (membership only in the tag's list). Keep the membership rather than drop it.
  const listingTags = new Map<string, string[]>();
  for (const tag of input.tag) {
    for (const taskId of tag.taskIds) {
      const task = rawTasks.get(taskId);
      if (task && !task.tagIds.includes(tag.id)) listingTags.set(taskId, [...(listingTags.get(taskId) ?? []), tag.id]);
    }
  }

  // 1. Each task's own references.
  const tasks = new Map<string, Task>();
  for (const task of input.task) {
    let { projectId, parentId } = task;
    if (parentId !== null) {
      const parent = rawTasks.get(parentId);
      if (!parent) {
        repairs.push(`task '${task.id}': parent task '${parentId}' does not exist, it became a top-level task`);
        parentId = null;
      } else if (parent.parentId !== null || parentId === task.id) {
        repairs.push(`task '${task.id}': parent task '${parentId}' is itself a subtask, it became a top-level task`);
        parentId = null;
      }
    }
    if (projectId !== null && !projects.has(projectId)) {
      repairs.push(`task '${task.id}': project '${projectId}' does not exist, the task is now in no project`);
      projectId = null;
    }
    const missing = task.tagIds.filter((id) => !tags.has(id));
    if (missing.length) repairs.push(`task '${task.id}': tag(s) ${missing.map((m) => `'${m}'`).join(', ')} do not exist and were removed`);
    const listedBy = listingTags.get(task.id) ?? [];
    if (listedBy.length) repairs.push(`task '${task.id}': now carries tag(s) ${listedBy.map((m) => `'${m}'`).join(', ')} that listed it`);
    const tagIds = [...new Set([...task.tagIds.filter((id) => tags.has(id)), ...listedBy])];
    const changed = projectId !== task.projectId || parentId !== task.parentId || !sameList(tagIds, task.tagIds);
    tasks.set(task.id, changed ? { ...task, projectId, parentId, tagIds } : task);
  }
  // A subtask lives in its parent's project.
  for (const task of tasks.values()) {
    if (task.parentId === null) continue;
    const parent = tasks.get(task.parentId)!;
    if (task.projectId !== parent.projectId) {
      repairs.push(`task '${task.id}': moved to its parent's project`);
      tasks.set(task.id, { ...task, projectId: parent.projectId });
    }
  }

  // 2. Members by owner, in data order.
  const childrenOf = new Map<string, string[]>();
  const topLevelOf = new Map<string, string[]>();
  const taggedWith = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, id: string) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  for (const task of tasks.values()) {
    if (task.parentId !== null) push(childrenOf, task.parentId, task.id);
    else if (task.projectId !== null) push(topLevelOf, task.projectId, task.id);
    for (const tagId of task.tagIds) push(taggedWith, tagId, task.id);
  }

  // 3. The lists.
  const repairedTasks = [...tasks.values()].map((task) => {
    const subTaskIds = reconcile(task.subTaskIds, childrenOf.get(task.id) ?? [], (id) => tasks.get(id)?.parentId === task.id);
    if (sameList(subTaskIds, task.subTaskIds)) return task;
    repairs.push(`task '${task.id}': subtask list corrected`);
    return { ...task, subTaskIds };
  });
  const repairedProjects = input.project.map((project): Project => {
    const isTopLevelHere = (id: string) => {
      const t = tasks.get(id);
      return !!t && t.parentId === null && t.projectId === project.id;
    };
    const backlogTaskIds = reconcile(project.backlogTaskIds, [], isTopLevelHere);
    const inBacklog = new Set(backlogTaskIds);
    const members = (topLevelOf.get(project.id) ?? []).filter((id) => !inBacklog.has(id));
    const taskIds = reconcile(project.taskIds, members, (id) => isTopLevelHere(id) && !inBacklog.has(id));
    if (sameList(taskIds, project.taskIds) && sameList(backlogTaskIds, project.backlogTaskIds)) return project;
    repairs.push(`project '${project.id}': task list corrected`);
    return { ...project, taskIds, backlogTaskIds };
  });
  const repairedTags = input.tag.map((tag): Tag => {
    const taskIds = reconcile(tag.taskIds, taggedWith.get(tag.id) ?? [], (id) => !!tasks.get(id)?.tagIds.includes(tag.id));
    if (sameList(taskIds, tag.taskIds)) return tag;
    repairs.push(`tag '${tag.id}': task list corrected`);
    return { ...tag, taskIds };
  });

  return {
    data: { task: repairedTasks, project: repairedProjects, tag: repairedTags, metric: input.metric },
    repairs,
  };
}
