import { createActionGroup, props } from '@ngrx/store';
import { Task, TaskEditableFields } from './task.model';

/** An ordered list of task ids owned by a project, a tag or a parent task. */
export interface TaskListRef {
  /** 'inbox' is the tasks in no project: ordered by creation, it has no order to change. */
  kind: 'project' | 'tag' | 'parent' | 'inbox';
  id: string;
}

export const TaskPageActions = createActionGroup({
  source: 'Task Page',
  events: {
    /** A top-level task (projectId set, parentId null) or a subtask (parentId set). */
    'Add Task': props<{ task: Task }>(),
    'Update Task': props<{ id: string; changes: Partial<TaskEditableFields> }>(),
    'Set Task Done': props<{ id: string; isDone: boolean; doneOn: number | null }>(),
    /** Deletes the task and its subtasks. */
    'Delete Task': props<{ id: string }>(),
    /** Moves a top-level task (and its subtasks) to another project. */
    'Move Task To Project': props<{ id: string; projectId: string }>(),
    'Reorder Task': props<{ list: TaskListRef; taskId: string; toIndex: number }>(),
    'Set Task Tags': props<{ id: string; tagIds: string[] }>(),
  },
});
