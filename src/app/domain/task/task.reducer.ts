import { createEntityAdapter, EntityState } from '@ngrx/entity';
import { createReducer, on } from '@ngrx/store';
import { applyRemoteEntities } from '../apply-remote';
import { ImportActions, PersistenceActions, RemoteEntitiesActions } from '../app-data.actions';
import { TaskPageActions } from './task.actions';
import { Task } from './task.model';

export type TaskState = EntityState<Task>;

export const taskAdapter = createEntityAdapter<Task>();

/**
 * Changes that touch only the task itself. Actions that change which project, parent or tag a task
 * belongs to are handled by the relations meta-reducer, which sees every slice at once.
 */
export const taskReducer = createReducer<TaskState>(
  taskAdapter.getInitialState(),
  on(TaskPageActions.updateTask, (state, { id, changes }) =>
    taskAdapter.updateOne({ id, changes }, state),
  ),
  on(TaskPageActions.setTaskDone, (state, { id, isDone, doneOn }) =>
    taskAdapter.updateOne({ id, changes: { isDone, doneOn: isDone ? doneOn : null } }, state),
  ),
  on(PersistenceActions.stateLoaded, ImportActions.dataImported, (state, { data }) =>
    taskAdapter.setAll(data.task, state),
  ),
  on(RemoteEntitiesActions.remoteEntitiesApplied, (state, { upsert, remove }) =>
    applyRemoteEntities(taskAdapter, state, upsert.task, remove.task),
  ),
);
