import { DomainState } from '../domain-state';
import { projectAdapter, ProjectState } from '../project/project.reducer';
import { tagAdapter, TagState } from '../tag/tag.reducer';
import { TaskListRef } from '../task/task.actions';
import { Task } from '../task/task.model';
import { taskAdapter, TaskState } from '../task/task.reducer';
import { moveInList, unique, without } from './list-utils';

/**
 * The id lists (project.taskIds/backlogTaskIds, task.subTaskIds, tag.taskIds) mirror the tasks'
 * own projectId, parentId and tagIds. Every action that changes membership goes through one of
 * these functions, which update both sides together and touch only the entities that change.
 */
export type RelationalState = Pick<DomainState, 'task' | 'project' | 'tag'>;

function addToTags(tags: TagState, tagIds: string[], taskId: string): TagState {
  const updates = tagIds
    .map((id) => tags.entities[id])
    .filter((tag) => !!tag && !tag.taskIds.includes(taskId))
    .map((tag) => ({ id: tag!.id, changes: { taskIds: [...tag!.taskIds, taskId] } }));
  return updates.length ? tagAdapter.updateMany(updates, tags) : tags;
}

function removeFromTags(tags: TagState, tagIds: Iterable<string>, taskIds: ReadonlySet<string>): TagState {
  const updates = [...new Set(tagIds)]
    .map((id) => tags.entities[id])
    .filter((tag) => !!tag && tag.taskIds.some((id) => taskIds.has(id)))
    .map((tag) => ({ id: tag!.id, changes: { taskIds: without(tag!.taskIds, taskIds) } }));
  return updates.length ? tagAdapter.updateMany(updates, tags) : tags;
}

function removeFromProject(projects: ProjectState, projectId: string | null, taskId: string): ProjectState {
  const project = projectId ? projects.entities[projectId] : undefined;
  if (!project || (!project.taskIds.includes(taskId) && !project.backlogTaskIds.includes(taskId))) {
    return projects;
  }
  return projectAdapter.updateOne(
    {
      id: project.id,
      changes: {
        taskIds: without(project.taskIds, taskId),
        backlogTaskIds: without(project.backlogTaskIds, taskId),
      },
    },
    projects,
  );
}

export function addTask(state: RelationalState, input: Task): RelationalState {
  if (state.task.entities[input.id]) return state;
  const parent = input.parentId ? state.task.entities[input.parentId] : undefined;
  // Subtasks are one level deep, as in Super Productivity.
  if (input.parentId && (!parent || parent.parentId)) return state;
  const projectId = parent
    ? parent.projectId
    : input.projectId && state.project.entities[input.projectId]
      ? input.projectId
      : null;
  const tagIds = unique(input.tagIds.filter((id) => !!state.tag.entities[id]));
  const task: Task = { ...input, parentId: parent?.id ?? null, projectId, tagIds, subTaskIds: [] };

  let tasks: TaskState = taskAdapter.addOne(task, state.task);
  let projects = state.project;
  if (parent) {
    tasks = taskAdapter.updateOne(
      { id: parent.id, changes: { subTaskIds: [...parent.subTaskIds, task.id] } },
      tasks,
    );
  } else if (projectId) {
    const project = projects.entities[projectId]!;
    projects = projectAdapter.updateOne(
      { id: projectId, changes: { taskIds: [...project.taskIds, task.id] } },
      projects,
    );
  }
  return { task: tasks, project: projects, tag: addToTags(state.tag, tagIds, task.id) };
}

export function deleteTask(state: RelationalState, id: string): RelationalState {
  const task = state.task.entities[id];
  if (!task) return state;
  const subTasks = task.subTaskIds.map((sid) => state.task.entities[sid]).filter((t) => !!t);
  const removed = new Set([id, ...subTasks.map((t) => t.id)]);

  let tasks = state.task;
  const parent = task.parentId ? tasks.entities[task.parentId] : undefined;
  if (parent) {
    tasks = taskAdapter.updateOne(
      { id: parent.id, changes: { subTaskIds: without(parent.subTaskIds, id) } },
      tasks,
    );
  }
  tasks = taskAdapter.removeMany([...removed], tasks);
  const projects = task.parentId ? state.project : removeFromProject(state.project, task.projectId, id);
  const tagIds = [task, ...subTasks].flatMap((t) => t.tagIds);
  return { task: tasks, project: projects, tag: removeFromTags(state.tag, tagIds, removed) };
}

export function moveTaskToProject(state: RelationalState, id: string, projectId: string): RelationalState {
  const task = state.task.entities[id];
  const target = state.project.entities[projectId];
  if (!task || !target || task.parentId || task.projectId === projectId) return state;

  let projects = removeFromProject(state.project, task.projectId, id);
  projects = projectAdapter.updateOne(
    { id: projectId, changes: { taskIds: [...target.taskIds, id] } },
    projects,
  );
  const movedIds = [id, ...task.subTaskIds.filter((sid) => !!state.task.entities[sid])];
  const tasks = taskAdapter.updateMany(
    movedIds.map((tid) => ({ id: tid, changes: { projectId } })),
    state.task,
  );
  return { ...state, task: tasks, project: projects };
}

export function reorderTask(
  state: RelationalState,
  list: TaskListRef,
  taskId: string,
  toIndex: number,
): RelationalState {
  switch (list.kind) {
    case 'project': {
      const project = state.project.entities[list.id];
      if (!project) return state;
      const taskIds = moveInList(project.taskIds, taskId, toIndex);
      if (taskIds === project.taskIds) return state;
      return { ...state, project: projectAdapter.updateOne({ id: list.id, changes: { taskIds } }, state.project) };
    }
    case 'tag': {
      const tag = state.tag.entities[list.id];
      if (!tag) return state;
      const taskIds = moveInList(tag.taskIds, taskId, toIndex);
      if (taskIds === tag.taskIds) return state;
      return { ...state, tag: tagAdapter.updateOne({ id: list.id, changes: { taskIds } }, state.tag) };
    }
    case 'parent': {
      const parent = state.task.entities[list.id];
      if (!parent) return state;
      const subTaskIds = moveInList(parent.subTaskIds, taskId, toIndex);
      if (subTaskIds === parent.subTaskIds) return state;
      return { ...state, task: taskAdapter.updateOne({ id: list.id, changes: { subTaskIds } }, state.task) };
    }
    case 'inbox':
      return state;
  }
}

export function setTaskTags(state: RelationalState, id: string, requested: string[]): RelationalState {
  const task = state.task.entities[id];
  if (!task) return state;
  const tagIds = unique(requested.filter((tid) => !!state.tag.entities[tid]));
  const removedFrom = task.tagIds.filter((tid) => !tagIds.includes(tid));
  const addedTo = tagIds.filter((tid) => !task.tagIds.includes(tid));
  if (!removedFrom.length && !addedTo.length && tagIds.join() === task.tagIds.join()) return state;

  let tags = removeFromTags(state.tag, removedFrom, new Set([id]));
  tags = addToTags(tags, addedTo, id);
  return { ...state, task: taskAdapter.updateOne({ id, changes: { tagIds } }, state.task), tag: tags };
}

export function deleteTag(state: RelationalState, tagId: string): RelationalState {
  const tag = state.tag.entities[tagId];
  if (!tag) return state;
  const updates = tag.taskIds
    .map((tid) => state.task.entities[tid])
    .filter((t) => !!t && t.tagIds.includes(tagId))
    .map((t) => ({ id: t!.id, changes: { tagIds: without(t!.tagIds, tagId) } }));
  return {
    ...state,
    task: updates.length ? taskAdapter.updateMany(updates, state.task) : state.task,
    tag: tagAdapter.removeOne(tagId, state.tag),
  };
}
