import { importMergeMetaReducer } from '../app/domain/backup/import-merge.meta-reducer';
import { ActionReducer, combineReducers } from '@ngrx/store';
import { DomainState, domainReducers } from '../app/domain/domain-state';
import { newProject, newTag, newTask } from '../app/domain/entity-factories';
import { relationsMetaReducer } from '../app/domain/relations/relations.meta-reducer';
import { Task } from '../app/domain/task/task.model';
import { CreationStamp } from '../app/domain/sync-metadata.model';

/** The domain's root reducer exactly as the app composes it. */
export const domainRootReducer: ActionReducer<DomainState> = importMergeMetaReducer(relationsMetaReducer(combineReducers(domainReducers)));

export const initialDomainState = (): DomainState => domainRootReducer(undefined, { type: '@@init' });

export const STAMP: CreationStamp = { now: 1_700_000_000_000, deviceId: 'device-test' };

export const aTask = (id: string, fields: Partial<Task> = {}): Task => ({ ...newTask(id, {}, STAMP), title: id, ...fields });
export const aProject = (id: string) => newProject(id, `Project ${id}`, '#123456', STAMP);
export const aTag = (id: string) => newTag(id, `Tag ${id}`, '#654321', STAMP);

function duplicates(list: string[]): string[] {
  return list.filter((id, i) => list.indexOf(id) !== i);
}

/** Every way the id lists can disagree with the tasks' own projectId, parentId and tagIds. */
export function consistencyProblems(state: DomainState): string[] {
  const problems: string[] = [];
  const tasks = state.task.entities;
  const projects = state.project.entities;
  const tags = state.tag.entities;
  for (const id of state.task.ids as string[]) {
    const t = tasks[id]!;
    if (t.parentId !== null) {
      const parent = tasks[t.parentId];
      if (!parent) problems.push(`${id}: parent ${t.parentId} missing`);
      else {
        if (parent.subTaskIds.filter((x) => x === id).length !== 1) problems.push(`${id}: not once in parent's subTaskIds`);
        if (parent.parentId !== null) problems.push(`${id}: nested two levels deep`);
        if (parent.projectId !== t.projectId) problems.push(`${id}: project differs from parent's`);
      }
    } else if (t.projectId !== null) {
      const p = projects[t.projectId];
      if (!p) problems.push(`${id}: project ${t.projectId} missing`);
      else if ([...p.taskIds, ...p.backlogTaskIds].filter((x) => x === id).length !== 1) problems.push(`${id}: not once in project's lists`);
    }
    for (const sid of t.subTaskIds) if (tasks[sid]?.parentId !== id) problems.push(`${id}: subtask ${sid} does not point back`);
    if (duplicates(t.subTaskIds).length) problems.push(`${id}: duplicate subtasks`);
    for (const tagId of t.tagIds) if (!tags[tagId]?.taskIds.includes(id)) problems.push(`${id}: tag ${tagId} missing or does not list it`);
    if (duplicates(t.tagIds).length) problems.push(`${id}: duplicate tags`);
  }
  for (const pid of state.project.ids as string[]) {
    const p = projects[pid]!;
    for (const tid of [...p.taskIds, ...p.backlogTaskIds]) {
      const t = tasks[tid];
      if (!t || t.projectId !== pid || t.parentId !== null) problems.push(`project ${pid}: lists ${tid} which is not its top-level task`);
    }
    if (duplicates([...p.taskIds, ...p.backlogTaskIds]).length) problems.push(`project ${pid}: duplicate task ids`);
  }
  for (const tagId of state.tag.ids as string[]) {
    const tag = tags[tagId]!;
    for (const tid of tag.taskIds) if (!tasks[tid]?.tagIds.includes(tagId)) problems.push(`tag ${tagId}: lists ${tid} which does not carry it`);
    if (duplicates(tag.taskIds).length) problems.push(`tag ${tagId}: duplicate task ids`);
  }
  return problems;
}
