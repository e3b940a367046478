import { DestroyRef, inject, Injectable } from '@angular/core';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import { Store } from '@ngrx/store';
import { distinctUntilChanged } from 'rxjs';
import { selectPendingMassDelete } from '../store/sync.reducer';
import { ConflictReviewDialog } from './conflict-review-dialog.component';
import { MassDeleteDialog } from './mass-delete-dialog.component';

/** Opens the sync's dialogs: conflict review on request, the mass-delete question whenever a round asks it. */
@Injectable({ providedIn: 'root' })
export class SyncDialogs {
  private readonly dialog = inject(MatDialog);
  private readonly store = inject(Store);
  private conflicts: MatDialogRef<ConflictReviewDialog> | null = null;
  private massDelete: MatDialogRef<MassDeleteDialog> | null = null;
  private watching = false;

  openConflicts(): void {
    if (this.conflicts) return;
    this.conflicts = this.dialog.open(ConflictReviewDialog, { width: '760px', maxWidth: '96vw', autoFocus: 'dialog', ariaLabel: 'Review sync conflicts' });
    this.conflicts.afterClosed().subscribe(() => (this.conflicts = null));
  }

  /** Once per app: opens the mass-delete question when a round stops to ask, closes it when the question is gone. */
  watchMassDelete(destroyRef: DestroyRef): void {
    if (this.watching) return;
    this.watching = true;
    const subscription = this.store
      .select(selectPendingMassDelete)
      .pipe(distinctUntilChanged())
      .subscribe((pending) => {
        if (pending && !this.massDelete) {
          this.massDelete = this.dialog.open(MassDeleteDialog, { width: '520px', maxWidth: '96vw', disableClose: true, ariaLabel: 'Confirm deleting many items' });
          this.massDelete.afterClosed().subscribe(() => (this.massDelete = null));
        } else if (!pending && this.massDelete) {
          this.massDelete.close();
        }
      });
    destroyRef.onDestroy(() => {
      subscription.unsubscribe();
      this.watching = false;
    });
  }
}
