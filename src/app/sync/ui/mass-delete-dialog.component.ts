import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import { SyncUiActions } from '../store/sync.actions';
import { selectPendingMassDelete } from '../store/sync.reducer';

/** SYNC.md §1.7: a round that would delete much of the data stops and asks first. */
@Component({
  selector: 'app-mass-delete-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule, MatIconModule],
  template: `
    <h2 mat-dialog-title><mat-icon>warning</mat-icon> Delete many items?</h2>
    <mat-dialog-content>
      @if (pending(); as p) {
        <p data-testid="mass-delete-text">
          This sync would delete {{ items(p.incoming + p.outgoing) }}
          ({{ p.incoming }} from other devices, {{ p.outgoing }} from this one) out of {{ p.entities }}.
          Delete them, or keep everything for now?
        </p>
        <p class="muted">
          Keeping everything changes nothing on this device or on the remote; sync asks again next time.
        </p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button (click)="keep()" data-testid="mass-delete-cancel">Keep everything for now</button>
      <button mat-flat-button class="danger" (click)="confirm()" data-testid="mass-delete-confirm">Delete them</button>
    </mat-dialog-actions>
  `,
  styles: `
    h2 { display: flex; align-items: center; gap: 8px; }
    h2 mat-icon { color: var(--mat-sys-error); }
    .muted { color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); }
    .danger { --mat-button-filled-container-color: var(--mat-sys-error); --mat-button-filled-label-text-color: var(--mat-sys-on-error); }
  `,
})
export class MassDeleteDialog {
  private readonly store = inject(Store);
  private readonly ref = inject(MatDialogRef<MassDeleteDialog>, { optional: true });
  protected readonly pending = this.store.selectSignal(selectPendingMassDelete);

  protected items(n: number): string {
    return `${n} ${n === 1 ? 'item' : 'items'}`;
  }

  protected confirm(): void {
    this.store.dispatch(SyncUiActions.confirmMassDelete());
    this.ref?.close(true);
  }

  protected keep(): void {
    this.store.dispatch(SyncUiActions.cancelMassDelete());
    this.ref?.close(false);
  }
}
