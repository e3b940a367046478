import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import type { ConflictInfo, ConflictValue } from '../engine/sync-engine';
import { SyncUiActions } from '../store/sync.actions';
import { selectSyncConflicts, selectSyncDevices } from '../store/sync.reducer';
import { DELETE_VS_EDIT, deviceName, effectiveValue, exactTime, fieldLabel, formatValue } from './sync-text';

interface ShownSide {
  readonly value: string;
  readonly device: string;
  readonly when: string;
  readonly stamp: string;
}

interface ConflictRow {
  readonly key: string;
  readonly conflict: ConflictInfo;
  readonly kind: string;
  readonly label: string;
  readonly isDeleteVsEdit: boolean;
  readonly kept: ShownSide;
  readonly others: readonly ShownSide[];
}

const KIND: Record<string, string> = { task: 'Task', project: 'Project', tag: 'Tag', metric: 'Metrics of' };

/**
 * Two devices changed the same field without seeing each other: one value is shown everywhere,
 * the other is kept here. Keep the shown one, or use the other (on every device).
 */
@Component({
  selector: 'app-conflict-review-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule, MatIconModule],
  template: `
    <h2 mat-dialog-title>Sync conflicts</h2>
    <mat-dialog-content>
      @if (rows().length) {
        <p class="intro">
          These fields were changed on two devices before either saw the other's change. The newer value is shown everywhere;
          the other one is kept here until you decide.
        </p>
        @for (row of rows(); track row.key) {
          <section class="conflict" data-testid="conflict-item" [attr.data-field]="row.conflict.field">
            <header>
              <span class="kind">{{ row.kind }}</span>
              <strong data-testid="conflict-title">{{ row.conflict.title }}</strong>
              <span class="field" data-testid="conflict-field">{{ row.label }}</span>
            </header>
            <div class="sides">
              <div class="side won">
                <div class="side-head"><mat-icon>check_circle</mat-icon>{{ row.isDeleteVsEdit ? 'In effect' : 'Shown now' }}</div>
                <div class="value" data-testid="conflict-shown-value">{{ row.kept.value }}</div>
                <div class="by">{{ row.kept.device }} · {{ row.kept.when }}</div>
                <button mat-flat-button (click)="resolve(row, row.kept.stamp)" data-testid="conflict-keep">Keep</button>
              </div>
              @for (other of row.others; track other.stamp) {
                <div class="side">
                  <div class="side-head"><mat-icon>history</mat-icon>Other value</div>
                  <div class="value" data-testid="conflict-other-value">{{ other.value }}</div>
                  <div class="by">{{ other.device }} · {{ other.when }}</div>
                  <button mat-stroked-button (click)="resolve(row, other.stamp)" data-testid="conflict-use-other">{{ row.isDeleteVsEdit ? 'Use the other (delete it)' : 'Use the other' }}</button>
                </div>
              }
            </div>
          </section>
        }
      } @else {
        <p class="empty" data-testid="conflicts-empty"><mat-icon>task_alt</mat-icon> No open conflicts: every device agrees.</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (rows().length) {
        <button mat-button (click)="dismissAll()" data-testid="conflicts-dismiss-all">Dismiss all (keep what is shown)</button>
      }
      <button mat-flat-button mat-dialog-close data-testid="conflicts-close">Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .intro { color: var(--mat-sys-on-surface-variant); margin-top: 0; }
    .conflict { border: 1px solid var(--mat-sys-outline-variant); border-radius: 12px; padding: 12px 16px; margin-bottom: 12px; }
    header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; margin-bottom: 8px; }
    .kind { font: var(--mat-sys-label-medium); color: var(--mat-sys-on-surface-variant); text-transform: uppercase; letter-spacing: .05em; }
    .field { margin-left: auto; font: var(--mat-sys-label-large); color: var(--mat-sys-tertiary); }
    .sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
    .side { display: flex; flex-direction: column; gap: 6px; padding: 10px 12px; border-radius: 10px; background: var(--mat-sys-surface-container); }
    .side.won { background: var(--mat-sys-primary-container); color: var(--mat-sys-on-primary-container); }
    .side-head { display: flex; align-items: center; gap: 6px; font: var(--mat-sys-label-large); }
    .side-head mat-icon { font-size: 18px; width: 18px; height: 18px; }
    .value { font: var(--mat-sys-body-large); white-space: pre-line; word-break: break-word; }
    .by { font: var(--mat-sys-body-small); opacity: .8; }
    .side button { align-self: flex-start; }
    .empty { display: flex; align-items: center; gap: 8px; }
  `,
})
export class ConflictReviewDialog {
  private readonly store = inject(Store);
  private readonly conflicts = this.store.selectSignal(selectSyncConflicts);
  private readonly devices = this.store.selectSignal(selectSyncDevices);

  protected readonly rows = computed<ConflictRow[]>(() => {
    const devices = this.devices();
    const side = (value: ConflictValue, field: string): ShownSide => ({
      value: formatValue(field, value.value),
      device: deviceName(value.device, devices),
      when: exactTime(value.at),
      stamp: value.stamp,
    });
    return this.conflicts().map((conflict) => {
      const kept = effectiveValue(conflict.field, conflict.shown, conflict.others);
      const others = [conflict.shown, ...conflict.others].filter((value) => value.stamp !== kept.stamp);
      return {
        key: `${conflict.type}:${conflict.id}:${conflict.field}`,
        conflict,
        kind: KIND[conflict.type] ?? conflict.type,
        label: fieldLabel(conflict.field),
        isDeleteVsEdit: conflict.field === DELETE_VS_EDIT,
        kept: side(kept, conflict.field),
        others: others.map((value) => side(value, conflict.field)),
      };
    });
  });

  protected resolve(row: ConflictRow, stamp: string): void {
    const { type, id, field } = row.conflict;
    this.store.dispatch(SyncUiActions.resolveConflict({ entityType: type, id, field, stamp }));
  }

  protected dismissAll(): void {
    this.store.dispatch(SyncUiActions.dismissAllConflicts());
  }
}
