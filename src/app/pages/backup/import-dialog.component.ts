import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { ImportResult } from '../../domain/backup/parse-backup';
import { plural } from '../shared/format';

export interface ImportDialogData {
  fileName: string;
  result: ImportResult;
}

/** Either lists precisely what is wrong with a file, or what importing it will replace. */
@Component({
  selector: 'app-import-dialog',
  imports: [MatDialogModule, MatButtonModule, MatIconModule],
  template: `
    @if (data.result.ok) {
      <h2 mat-dialog-title>Import “{{ data.fileName }}”?</h2>
      <mat-dialog-content>
        <p>
          This {{ data.result.source === 'super-productivity' ? 'Super Productivity backup' : 'export' }} holds
          <strong>{{ count(data.result.data.task.length, 'task') }}</strong>,
          <strong>{{ count(data.result.data.project.length, 'project') }}</strong>,
          <strong>{{ count(data.result.data.tag.length, 'tag') }}</strong> and
          <strong>{{ count(data.result.data.metric.length, 'day') }}</strong> of metrics.
        </p>
        <p class="warn-text"><mat-icon>warning</mat-icon> Importing replaces all data in this app.</p>
        @if (data.result.warnings.length) {
          <p>Repaired while reading:</p>
          <ul class="messages">
            @for (w of data.result.warnings; track $index) { <li>{{ w }}</li> }
          </ul>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button [mat-dialog-close]="false">Cancel</button>
        <button mat-flat-button [mat-dialog-close]="true" data-testid="import-confirm">Replace my data</button>
      </mat-dialog-actions>
    } @else {
      <h2 mat-dialog-title>“{{ data.fileName }}” cannot be imported</h2>
      <mat-dialog-content>
        <p>Nothing was changed. What is wrong:</p>
        <ul class="messages" data-testid="import-errors">
          @for (e of data.result.errors; track $index) { <li>{{ e }}</li> }
        </ul>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button [mat-dialog-close]="false">Close</button>
      </mat-dialog-actions>
    }
  `,
  styles: `
    .messages { max-height: 240px; overflow: auto; font: var(--mat-sys-body-small); padding-left: 20px; }
    .warn-text { display: flex; align-items: center; gap: 6px; color: var(--mat-sys-error); }
  `,
})
export class ImportDialog {
  protected readonly data = inject<ImportDialogData>(MAT_DIALOG_DATA);

  protected readonly count = plural;
}
