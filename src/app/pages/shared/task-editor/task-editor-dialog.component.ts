import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Store } from '@ngrx/store';
import { selectActiveProjects, selectAllTags, selectSubTasks, selectTaskById } from '../../../domain/domain.selectors';
import { newTask } from '../../../domain/entity-factories';
import { TaskPageActions } from '../../../domain/task/task.actions';
import { Task } from '../../../domain/task/task.model';
import { EntityStamp } from '../entity-stamp.service';

export interface TaskEditorData {
  taskId: string;
}

const MINUTE = 60_000;

/** Edits one task: its fields, project, tags and subtasks. Field edits apply on "Save". */
@Component({
  selector: 'app-task-editor-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule,
    MatSelectModule, MatIconModule, MatCheckboxModule,
  ],
  templateUrl: './task-editor-dialog.component.html',
  styleUrl: './task-editor-dialog.component.scss',
})
export class TaskEditorDialog {
  private readonly data = inject<TaskEditorData>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<TaskEditorDialog>);
  private readonly store = inject(Store);
  private readonly stamp = inject(EntityStamp);

  protected readonly task = this.store.selectSignal(selectTaskById(this.data.taskId));
  protected readonly subTasks = this.store.selectSignal(selectSubTasks(this.data.taskId));
  protected readonly projects = this.store.selectSignal(selectActiveProjects);
  protected readonly tags = this.store.selectSignal(selectAllTags);

  private readonly initial = this.task();
  protected readonly title = signal(this.initial?.title ?? '');
  protected readonly notes = signal(this.initial?.notes ?? '');
  protected readonly estimateMinutes = signal<number | null>(this.initial?.timeEstimate ? Math.round(this.initial.timeEstimate / MINUTE) : null);
  protected readonly dueDay = signal(this.initial?.dueDay ?? '');
  protected readonly projectId = signal(this.initial?.projectId ?? null);
  protected readonly tagIds = signal<string[]>(this.initial?.tagIds ?? []);
  protected readonly newSubTask = signal('');
  protected readonly canSave = computed(() => this.title().trim().length > 0);

  /**
   * Sends what the person changed in this dialog, and only that: each field is compared with the
   * value the form was filled from, not with the task now (which another tab or device may have
   * changed meanwhile, and which an unchanged field must not write back over).
   */
  protected save(): void {
    const task = this.task();
    const initial = this.initial;
    if (!task || !initial || !this.canSave()) return;
    const timeEstimate = Math.max(0, Math.round((this.estimateMinutes() ?? 0) * MINUTE));
    const initialEstimate = initial.timeEstimate ? Math.round(initial.timeEstimate / MINUTE) * MINUTE : 0;
    const changes: Partial<Pick<Task, 'title' | 'notes' | 'timeEstimate' | 'dueDay'>> = {};
    if (this.title().trim() !== initial.title) changes.title = this.title().trim();
    if (this.notes() !== initial.notes) changes.notes = this.notes();
    if (timeEstimate !== initialEstimate) changes.timeEstimate = timeEstimate;
    const dueDay = this.dueDay() || null;
    if (dueDay !== initial.dueDay) changes.dueDay = dueDay;
    if (Object.keys(changes).length) this.store.dispatch(TaskPageActions.updateTask({ id: task.id, changes }));
    const projectId = this.projectId();
    if (!task.parentId && projectId && projectId !== initial.projectId && projectId !== task.projectId) {
      this.store.dispatch(TaskPageActions.moveTaskToProject({ id: task.id, projectId }));
    }
    // The tags added and removed here, applied to the task's tags as they are now.
    const added = this.tagIds().filter((id) => !initial.tagIds.includes(id));
    const removed = initial.tagIds.filter((id) => !this.tagIds().includes(id));
    if (added.length || removed.length) {
      const tagIds = [...task.tagIds.filter((id) => !removed.includes(id)), ...added.filter((id) => !task.tagIds.includes(id))];
      this.store.dispatch(TaskPageActions.setTaskTags({ id: task.id, tagIds }));
    }
    this.ref.close();
  }

  protected addSubTask(): void {
    const title = this.newSubTask().trim();
    const parent = this.task();
    if (!title || !parent) return;
    const task = newTask(this.stamp.newId(), { title, parentId: parent.id }, this.stamp.stamp());
    this.store.dispatch(TaskPageActions.addTask({ task }));
    this.newSubTask.set('');
  }

  protected toggleSubTask(sub: Task): void {
    const isDone = !sub.isDone;
    this.store.dispatch(TaskPageActions.setTaskDone({ id: sub.id, isDone, doneOn: isDone ? this.stamp.now() : null }));
  }

  protected deleteSubTask(sub: Task): void {
    this.store.dispatch(TaskPageActions.deleteTask({ id: sub.id }));
  }

  protected deleteTask(): void {
    const task = this.task();
    if (task) this.store.dispatch(TaskPageActions.deleteTask({ id: task.id }));
    this.ref.close();
  }
}
