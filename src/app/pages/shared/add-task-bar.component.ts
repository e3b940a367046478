import { Component, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

/** One line to type a task title and press Enter. */
@Component({
  selector: 'app-add-task-bar',
  imports: [FormsModule, MatFormFieldModule, MatInputModule, MatIconModule, MatButtonModule],
  template: `
    <form (ngSubmit)="submit()" class="bar">
      <mat-form-field appearance="outline" subscriptSizing="dynamic" class="field">
        <mat-icon matPrefix>add_task</mat-icon>
        <input matInput name="title" placeholder="Add a task and press Enter" autocomplete="off"
               [ngModel]="title()" (ngModelChange)="title.set($event)" data-testid="add-task-input" />
      </mat-form-field>
    </form>
  `,
  styles: `.bar { padding: 0 0 12px; } .field { width: 100%; } mat-icon { margin: 0 8px 0 12px; color: var(--mat-sys-primary); }`,
})
export class AddTaskBar {
  readonly add = output<string>();
  protected readonly title = signal('');

  protected submit(): void {
    const title = this.title().trim();
    if (!title) return;
    this.add.emit(title);
    this.title.set('');
  }
}
