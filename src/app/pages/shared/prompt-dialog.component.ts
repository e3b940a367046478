import { Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { filter, Observable } from 'rxjs';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

export interface PromptDialogData {
  title: string;
  label: string;
  value?: string;
  confirm?: string;
}

/** Asks for one line of text; closes with the trimmed text, or undefined when cancelled. */
@Component({
  selector: 'app-prompt-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <form (ngSubmit)="submit()">
      <mat-dialog-content>
        <mat-form-field appearance="outline" class="full">
          <mat-label>{{ data.label }}</mat-label>
          <input matInput name="value" [ngModel]="value()" (ngModelChange)="value.set($event)" cdkFocusInitial
                 data-testid="prompt-input" autocomplete="off" />
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="!value().trim()" data-testid="prompt-confirm">
          {{ data.confirm ?? 'Save' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `.full { width: 100%; min-width: 320px; }`,
})
export class PromptDialog {
  protected readonly data = inject<PromptDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<PromptDialog, string>);
  protected readonly value = signal(this.data.value ?? '');

  protected submit(): void {
    const text = this.value().trim();
    if (text) this.ref.close(text);
  }
}

/**
 * Material moves focus into a dialog only after its 150 ms open animation (`delayFocusTrap`), and
 * keys typed meanwhile go to the button that opened it: they are lost. The input takes focus at once.
 */
export const FOCUS_AT_ONCE = { autoFocus: 'first-tabbable', delayFocusTrap: false } as const;

/** Opens the prompt; emits the text once when confirmed, nothing when cancelled. */
export function askText(dialog: MatDialog, data: PromptDialogData): Observable<string> {
  return dialog
    .open<PromptDialog, PromptDialogData, string>(PromptDialog, { data, ...FOCUS_AT_ONCE })
    .afterClosed()
    .pipe(filter((text): text is string => !!text));
}
