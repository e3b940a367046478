import { ChangeDetectionStrategy, Component, computed, inject, input, viewChild } from '@angular/core';
import { Router } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Store } from '@ngrx/store';
import { selectTagById, selectTagTaskRows } from '../../domain/domain.selectors';
import { newTask } from '../../domain/entity-factories';
import { TagPageActions } from '../../domain/tag/tag.actions';
import { TaskPageActions } from '../../domain/task/task.actions';
import { AddTaskBar } from '../shared/add-task-bar.component';
import { EntityStamp } from '../shared/entity-stamp.service';
import { askText } from '../shared/prompt-dialog.component';
import { TaskList } from '../shared/task-list/task-list.component';

/** Every task carrying one tag, from any project. */
@Component({
  selector: 'app-tag-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TaskList, AddTaskBar, MatButtonModule, MatIconModule, MatTooltipModule],
  templateUrl: './tag-page.component.html',
  styleUrl: '../shared/list-page.scss',
})
export class TagPage {
  readonly id = input.required<string>();

  private readonly store = inject(Store);
  private readonly taskList = viewChild(TaskList);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly stamp = inject(EntityStamp);

  private readonly tagSignal = computed(() => this.store.selectSignal(selectTagById(this.id())));
  private readonly rowsSignal = computed(() => this.store.selectSignal(selectTagTaskRows(this.id())));
  protected readonly tag = computed(() => this.tagSignal()());
  protected readonly rows = computed(() => this.rowsSignal()());
  protected readonly list = computed(() => ({ kind: 'tag' as const, id: this.id() }));

  protected addTask(title: string): void {
    const task = newTask(this.stamp.newId(), { title, tagIds: [this.id()] }, this.stamp.stamp());
    this.store.dispatch(TaskPageActions.addTask({ task }));
    this.taskList()?.reveal(task.id);
  }

  protected rename(): void {
    const tag = this.tag();
    if (!tag) return;
    askText(this.dialog, { title: 'Rename tag', label: 'Tag name', value: tag.title }).subscribe((title) => {
      if (title !== tag.title) this.store.dispatch(TagPageActions.renameTag({ id: tag.id, title }));
    });
  }

  protected remove(): void {
    this.store.dispatch(TagPageActions.deleteTag({ id: this.id() }));
    void this.router.navigateByUrl('/');
  }
}
