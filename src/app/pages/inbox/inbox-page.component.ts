import { ChangeDetectionStrategy, Component, inject, viewChild } from '@angular/core';
import { Store } from '@ngrx/store';
import { selectInboxTaskRows } from '../../domain/domain.selectors';
import { newTask } from '../../domain/entity-factories';
import { TaskPageActions } from '../../domain/task/task.actions';
import { AddTaskBar } from '../shared/add-task-bar.component';
import { EntityStamp } from '../shared/entity-stamp.service';
import { plural } from '../shared/format';
import { TaskList } from '../shared/task-list/task-list.component';

/** The tasks in no project, so that every task has a page where a person finds it. */
@Component({
  selector: 'app-inbox-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TaskList, AddTaskBar],
  template: `
    <header class="page-header">
      <div class="heading">
        <h1 data-testid="page-title">Inbox</h1>
        <span class="sub">{{ count() }} · tasks in no project; move one to a project from its menu</span>
      </div>
    </header>
    <app-add-task-bar (add)="addTask($event)" />
    <div class="list-card">
      <app-task-list [rows]="rows()" [list]="list" emptyText="Nothing here: every task is in a project." />
    </div>
  `,
  styleUrl: '../shared/list-page.scss',
})
export class InboxPage {
  private readonly store = inject(Store);
  private readonly taskList = viewChild(TaskList);
  private readonly stamp = inject(EntityStamp);
  protected readonly rows = this.store.selectSignal(selectInboxTaskRows);
  protected readonly list = { kind: 'inbox' as const, id: '' };
  protected count(): string {
    return plural(this.rows().filter((r) => r.depth === 0).length, 'task');
  }

  protected addTask(title: string): void {
    const task = newTask(this.stamp.newId(), { title }, this.stamp.stamp());
    this.store.dispatch(TaskPageActions.addTask({ task }));
    this.taskList()?.reveal(task.id);
  }
}
