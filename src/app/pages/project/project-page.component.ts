import { ChangeDetectionStrategy, Component, computed, inject, input, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Store } from '@ngrx/store';
import { selectProjectById, selectProjectTaskRows } from '../../domain/domain.selectors';
import { newTask } from '../../domain/entity-factories';
import { ProjectPageActions } from '../../domain/project/project.actions';
import { TaskPageActions } from '../../domain/task/task.actions';
import { AddTaskBar } from '../shared/add-task-bar.component';
import { EntityStamp } from '../shared/entity-stamp.service';
import { askText } from '../shared/prompt-dialog.component';
import { TaskList } from '../shared/task-list/task-list.component';

@Component({
  selector: 'app-project-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TaskList, AddTaskBar, MatButtonModule, MatIconModule, MatTooltipModule],
  templateUrl: './project-page.component.html',
  styleUrl: '../shared/list-page.scss',
})
export class ProjectPage {
  /** Route parameter :id. */
  readonly id = input.required<string>();

  private readonly store = inject(Store);
  private readonly taskList = viewChild(TaskList);
  private readonly dialog = inject(MatDialog);
  private readonly stamp = inject(EntityStamp);

  private readonly projectSignal = computed(() => this.store.selectSignal(selectProjectById(this.id())));
  private readonly rowsSignal = computed(() => this.store.selectSignal(selectProjectTaskRows(this.id())));
  protected readonly project = computed(() => this.projectSignal()());
  protected readonly rows = computed(() => this.rowsSignal()());
  protected readonly list = computed(() => ({ kind: 'project' as const, id: this.id() }));
  protected readonly openCount = computed(() => this.rows().filter((r) => r.depth === 0 && !r.task.isDone).length);

  protected addTask(title: string): void {
    const task = newTask(this.stamp.newId(), { title, projectId: this.id() }, this.stamp.stamp());
    this.store.dispatch(TaskPageActions.addTask({ task }));
    this.taskList()?.reveal(task.id);
  }

  protected rename(): void {
    const project = this.project();
    if (!project) return;
    askText(this.dialog, { title: 'Rename project', label: 'Project name', value: project.title }).subscribe((title) => {
      if (title !== project.title) this.store.dispatch(ProjectPageActions.renameProject({ id: project.id, title }));
    });
  }

  protected toggleArchived(): void {
    const project = this.project();
    if (project) this.store.dispatch(ProjectPageActions.archiveProject({ id: project.id, isArchived: !project.isArchived }));
  }
}
