import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { ImportImpact, ImportMode } from '../../domain/backup/import-plan';
import { ImportResult } from '../../domain/backup/parse-backup';
import { plural } from '../shared/format';

export interface ImportDialogData {
  fileName: string;
  result: ImportResult;
  /** What replacing would delete of the data now in the app. */
  impact: ImportImpact | null;
  /** Where this device syncs ("WebDAV at …"), or null with sync off. */
  syncsTo: string | null;
}

/**
 * Either lists precisely what is wrong with a file, or what importing it does, here and on the
 * devices this one syncs with, and asks once: replace, merge, or cancel. (A replace the person
 * confirmed here is not asked about again by the sync's mass-delete question.)
 */
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
        @if (data.impact; as impact) {
          <p data-testid="import-impact">
            <strong>Replace</strong> makes this backup all of your data:
            @if (impact.totalDeletes) {
              it deletes {{ deletesText(impact) }} that are in the app now and not in the backup.
            } @else {
              nothing in the app now is missing from the backup, so nothing is deleted.
            }
            <strong>Merge</strong> adds what the backup has and this app does not (where both have an item, the one changed last is kept), and deletes nothing.
          </p>
        }
        @if (data.syncsTo) {
          <p class="warn-text" data-testid="import-devices"><mat-icon>devices</mat-icon> This device syncs to {{ data.syncsTo }}: every device that syncs there gets the same change at its next sync, deletes included.</p>
        } @else {
          <p data-testid="import-devices">Sync is off: only this app changes.</p>
        }
        @if (data.result.warnings.length) {
          <p>Repaired while reading:</p>
          <ul class="messages">
            @for (w of data.result.warnings; track $index) { <li>{{ w }}</li> }
          </ul>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button [mat-dialog-close]="false">Cancel</button>
        <button mat-stroked-button [mat-dialog-close]="'merge'" data-testid="import-merge">Merge into my data</button>
        <button mat-flat-button [mat-dialog-close]="'replace'" data-testid="import-confirm">Replace my data</button>
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

  protected deletesText(impact: ImportImpact): string {
    const parts = [
      impact.deletes.task ? plural(impact.deletes.task, 'task') : '',
      impact.deletes.project ? plural(impact.deletes.project, 'project') : '',
      impact.deletes.tag ? plural(impact.deletes.tag, 'tag') : '',
      impact.deletes.metric ? plural(impact.deletes.metric, 'day') + ' of metrics' : '',
    ].filter(Boolean);
    return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]!;
  }
}

export type ImportChoice = ImportMode | false;
