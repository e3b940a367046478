import { CdkDrag, CdkDragDrop, CdkDragHandle, CdkDragPlaceholder, CdkDropList } from '@angular/cdk/drag-drop';
import { CdkFixedSizeVirtualScroll, CdkVirtualForOf, CdkVirtualScrollViewport } from '@angular/cdk/scrolling';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, effect, inject, Injector, input, signal, untracked, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Store } from '@ngrx/store';
import { selectActiveProjects, selectProjectEntities, selectTagEntities, selectTaskEntities, TaskRow } from '../../../domain/domain.selectors';
import { newTask } from '../../../domain/entity-factories';
import { TaskListRef, TaskPageActions } from '../../../domain/task/task.actions';
import { Task } from '../../../domain/task/task.model';
import { EntityStamp } from '../entity-stamp.service';
import { formatDuration } from '../format';
import { askText, FOCUS_AT_ONCE } from '../prompt-dialog.component';
import { TaskEditorDialog } from '../task-editor/task-editor-dialog.component';

export const TASK_ROW_HEIGHT = 56;

/**
 * A task list that stays smooth with tens of thousands of rows: only the visible rows exist in
 * the DOM (CDK virtual scroll); top-level rows reorder by drag and drop.
 */
@Component({
  selector: 'app-task-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CdkVirtualScrollViewport, CdkFixedSizeVirtualScroll, CdkVirtualForOf,
    CdkDropList, CdkDrag, CdkDragHandle, CdkDragPlaceholder,
    MatCheckboxModule, MatIconModule, MatButtonModule, MatMenuModule, MatTooltipModule,
  ],
  templateUrl: './task-list.component.html',
  styleUrl: './task-list.component.scss',
})
export class TaskList {
  readonly rows = input.required<TaskRow[]>();
  /** The list whose order drag and drop changes. */
  readonly list = input.required<TaskListRef>();
  readonly emptyText = input('No tasks yet.');

  private readonly store = inject(Store);
  private readonly dialog = inject(MatDialog);
  private readonly stamp = inject(EntityStamp);
  private readonly viewport = viewChild(CdkVirtualScrollViewport);
  private readonly injector = inject(Injector);
  /** A task just added here: scrolled into view once its row exists, so it is never added out of sight. */
  private readonly pendingReveal = signal<string | null>(null);

  protected readonly rowHeight = TASK_ROW_HEIGHT;
  protected readonly tags = this.store.selectSignal(selectTagEntities);
  protected readonly projects = this.store.selectSignal(selectActiveProjects);
  private readonly projectEntities = this.store.selectSignal(selectProjectEntities);
  private readonly taskEntities = this.store.selectSignal(selectTaskEntities);
  /** The ids of the list drag and drop reorders, as the store holds them. */
  private readonly listIds = computed((): string[] => {
    const { kind, id } = this.list();
    if (kind === 'project') return this.projectEntities()[id]?.taskIds ?? [];
    if (kind === 'tag') return this.tags()[id]?.taskIds ?? [];
    if (kind === 'inbox') return [];
    return this.taskEntities()[id]?.subTaskIds ?? [];
  });
  protected readonly openCount = computed(() => this.rows().filter((r) => !r.task.isDone).length);
  protected readonly formatDuration = formatDuration;

  protected trackRow = (_: number, row: TaskRow) => row.task.id;

  constructor() {
    effect(() => {
      const id = this.pendingReveal();
      const viewport = this.viewport();
      if (!id || !viewport) return;
      const index = this.rows().findIndex((row) => row.task.id === id);
      if (index < 0) return;
      untracked(() => this.pendingReveal.set(null));
      afterNextRender(() => viewport.scrollToIndex(index), { injector: this.injector });
    });
  }

  /** Scrolls to the task's row as soon as the list shows it. */
  reveal(taskId: string): void {
    this.pendingReveal.set(taskId);
  }

  protected toggleDone(task: Task): void {
    const isDone = !task.isDone;
    this.store.dispatch(TaskPageActions.setTaskDone({ id: task.id, isDone, doneOn: isDone ? this.stamp.now() : null }));
  }

  protected open(task: Task): void {
    this.dialog.open(TaskEditorDialog, { data: { taskId: task.id }, width: '640px', maxWidth: '95vw', ...FOCUS_AT_ONCE });
  }

  protected remove(task: Task): void {
    this.store.dispatch(TaskPageActions.deleteTask({ id: task.id }));
  }

  protected moveTo(task: Task, projectId: string): void {
    this.store.dispatch(TaskPageActions.moveTaskToProject({ id: task.id, projectId }));
  }

  protected addSubTask(parent: Task): void {
    askText(this.dialog, { title: `Subtask of “${parent.title}”`, label: 'Title', confirm: 'Add' }).subscribe((title) => {
        const task = newTask(this.stamp.newId(), { title, parentId: parent.id }, this.stamp.stamp());
        this.store.dispatch(TaskPageActions.addTask({ task }));
      });
  }

  protected drop(event: CdkDragDrop<TaskRow[], TaskRow[], TaskRow>): void {
    // Drop indexes count rendered rows only; the rendered range says where they start.
    const offset = this.viewport()?.getRenderedRange().start ?? 0;
    const rows = this.rows();
    const dragged = event.item.data;
    const target = rows[Math.min(rows.length - 1, offset + event.currentIndex)];
    if (!target || target.task.id === dragged.task.id) return;
    if (dragged.depth === 1) {
      // A subtask moves among its siblings only.
      const parentId = dragged.task.parentId!;
      if (target.task.parentId !== parentId) return;
      const toIndex = this.taskEntities()[parentId]?.subTaskIds.indexOf(target.task.id) ?? -1;
      if (toIndex >= 0) {
        this.store.dispatch(TaskPageActions.reorderTask({ list: { kind: 'parent', id: parentId }, taskId: dragged.task.id, toIndex }));
      }
      return;
    }
    // Dropped on a subtask row: the place is its parent's.
    const targetId = target.depth === 0 ? target.task.id : target.task.parentId!;
    const toIndex = this.listIds().indexOf(targetId);
    if (toIndex >= 0) this.store.dispatch(TaskPageActions.reorderTask({ list: this.list(), taskId: dragged.task.id, toIndex }));
  }
}
