import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import { selectArchivedProjects, selectTaskCount } from '../../domain/domain.selectors';
import { RouterLink } from '@angular/router';
import { selectDbName, selectDeviceId } from '../../persistence/persistence.reducer';
import { BackupService } from '../backup/backup.service';
import { SyncSettingsComponent } from '../../sync/ui/sync-settings.component';

@Component({
  selector: 'app-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatIconModule, RouterLink, SyncSettingsComponent],
  template: `
    <h1 data-testid="page-title">Settings</h1>
    <section class="card">
      <h2><mat-icon>sync</mat-icon> Sync</h2>
      <!-- SYNC SETTINGS SLOT: the sync settings (providers, mode, conflicts) go here. -->
      <div class="sync-settings-slot" data-testid="sync-settings-slot">
        <app-sync-settings />
      </div>
    </section>
    <section class="card">
      <h2><mat-icon>save</mat-icon> Data</h2>
      <p>{{ taskCount() === 1 ? '1 task is' : taskCount() + ' tasks are' }} stored in this browser.</p>
      <div class="actions">
        <button mat-stroked-button (click)="backup.exportToFile()"><mat-icon>download</mat-icon>Export</button>
      </div>
      <dl>
        <dt>Device id</dt><dd data-testid="device-id">{{ deviceId() }}</dd>
        <dt>Database</dt><dd>{{ dbName() }}</dd>
      </dl>
    </section>
    @if (archived().length) {
      <section class="card">
        <h2><mat-icon>inventory_2</mat-icon> Archived projects</h2>
        @for (p of archived(); track p.id) {
          <a mat-button [routerLink]="['/project', p.id]">{{ p.title }}</a>
        }
      </section>
    }
  `,
  styles: `
    :host { display: block; padding: 24px 32px; max-width: 800px; margin: 0 auto; }
    h1 { font: var(--mat-sys-headline-small); margin: 0 0 16px; }
    h2 { display: flex; align-items: center; gap: 8px; font: var(--mat-sys-title-medium); margin: 0 0 8px; }
    .card { background: var(--mat-sys-surface); border: 1px solid var(--mat-sys-outline-variant); border-radius: 16px; padding: 20px; margin-bottom: 16px; }
    .muted { color: var(--mat-sys-on-surface-variant); }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; font-family: monospace; }
    .actions { display: flex; gap: 8px; }
  `,
})
export class SettingsPage {
  private readonly store = inject(Store);
  protected readonly backup = inject(BackupService);
  protected readonly deviceId = this.store.selectSignal(selectDeviceId);
  protected readonly dbName = this.store.selectSignal(selectDbName);
  protected readonly taskCount = this.store.selectSignal(selectTaskCount);
  protected readonly archived = this.store.selectSignal(selectArchivedProjects);
}
