import { Action, ActionReducer } from '@ngrx/store';
import { DomainState } from '../domain-state';
import { TagPageActions } from '../tag/tag.actions';
import { TaskPageActions } from '../task/task.actions';
import {
  addTask,
  deleteTask,
  moveTaskToProject,
  RelationalState,
  reorderTask,
  setTaskTags,
  deleteTag,
} from './task-relations';

function applyRelations(state: RelationalState, action: Action): RelationalState {
  switch (action.type) {
    case TaskPageActions.addTask.type: {
      const { task } = action as ReturnType<typeof TaskPageActions.addTask>;
      return addTask(state, task);
    }
    case TaskPageActions.deleteTask.type: {
      const { id } = action as ReturnType<typeof TaskPageActions.deleteTask>;
      return deleteTask(state, id);
    }
    case TaskPageActions.moveTaskToProject.type: {
      const { id, projectId } = action as ReturnType<typeof TaskPageActions.moveTaskToProject>;
      return moveTaskToProject(state, id, projectId);
    }
    case TaskPageActions.reorderTask.type: {
      const { list, taskId, toIndex } = action as ReturnType<typeof TaskPageActions.reorderTask>;
      return reorderTask(state, list, taskId, toIndex);
    }
    case TaskPageActions.setTaskTags.type: {
      const { id, tagIds } = action as ReturnType<typeof TaskPageActions.setTaskTags>;
      return setTaskTags(state, id, tagIds);
    }
    case TagPageActions.deleteTag.type: {
      const { id } = action as ReturnType<typeof TagPageActions.deleteTag>;
      return deleteTag(state, id);
    }
    default:
      return state;
  }
}

/**
 * Runs the actions that change which project, parent or tags a task belongs to on the task,
 * project and tag slices together, before the slice reducers (which ignore those actions).
 */
export function relationsMetaReducer<S extends DomainState>(reducer: ActionReducer<S>): ActionReducer<S> {
  return (state, action) => {
    if (!state) return reducer(state, action);
    const current: RelationalState = { task: state.task, project: state.project, tag: state.tag };
    const related = applyRelations(current, action);
    if (related === current) return reducer(state, action);
    return reducer({ ...state, ...related }, action);
  };
}
