import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { ImportActions } from '../../domain/app-data.actions';
import { backupFileName, createBackup } from '../../domain/backup/backup-format';
import { parseBackup } from '../../domain/backup/parse-backup';
import { selectDomainState } from '../../domain/domain.selectors';
import { DomainData } from '../../domain/domain-data.model';
import { domainData } from '../../domain/domain-state';
import { EntityStamp } from '../shared/entity-stamp.service';
import { plural } from '../shared/format';
import { importImpact, ImportMode } from '../../domain/backup/import-plan';
import { SyncUiActions } from '../../sync/store/sync.actions';
import { selectSyncSettings } from '../../sync/store/sync.reducer';
import { ImportChoice, ImportDialog, ImportDialogData } from './import-dialog.component';

/** Export to a JSON file, import from one (after the person has seen what it holds). */
@Injectable({ providedIn: 'root' })
export class BackupService {
  private readonly store = inject(Store);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly stamp = inject(EntityStamp);

  private async currentData(): Promise<DomainData> {
    return domainData(await firstValueFrom(this.store.select(selectDomainState)));
  }

  async exportToFile(): Promise<void> {
    const data = await this.currentData();
    const now = this.stamp.now();
    const blob = new Blob([JSON.stringify(createBackup(data, now), null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = backupFileName(now);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** Reads the file, shows what is wrong or what importing does (here and on the synced devices), and imports as the person chose. */
  async importFile(file: File): Promise<boolean> {
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      this.snackBar.open(`Could not read “${file.name}”: ${(e as Error).message}`, 'Close');
      return false;
    }
    const result = parseBackup(text, this.stamp.stamp());
    const current = await this.currentData();
    const connection = await firstValueFrom(this.store.select(selectSyncSettings));
    const syncsTo = connection ? (connection.provider === 'webdav' ? `WebDAV at ${connection.url}` : 'Dropbox') : null;
    const choice = await firstValueFrom(
      this.dialog
        .open<ImportDialog, ImportDialogData, ImportChoice>(ImportDialog, {
          data: { fileName: file.name, result, impact: result.ok ? importImpact(current, result.data) : null, syncsTo },
          width: '600px',
          maxWidth: '95vw',
        })
        .afterClosed(),
    );
    if (!result.ok || !choice) return false;
    this.apply(current, result.data, choice);
    const { task, project } = result.data;
    this.snackBar.open(`${choice === 'merge' ? 'Merged' : 'Imported'} ${plural(task.length, 'task')} and ${plural(project.length, 'project')}`, undefined, { duration: 3000 });
    return true;
  }

  /** Import `backup` over `current` as chosen; the deletes of a replace were confirmed in the dialog, so the sync does not ask again. */
  apply(current: DomainData, backup: DomainData, mode: ImportMode): void {
    this.store.dispatch(mode === 'merge' ? ImportActions.dataMerged({ data: backup }) : ImportActions.dataImported({ data: backup }));
    if (mode === 'replace' && importImpact(current, backup).totalDeletes > 0) this.store.dispatch(SyncUiActions.confirmMassDelete());
  }
}
