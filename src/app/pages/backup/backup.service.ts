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
import { EntityStamp } from '../shared/entity-stamp.service';
import { plural } from '../shared/format';
import { ImportDialog, ImportDialogData } from './import-dialog.component';

/** Export to a JSON file, import from one (after the person has seen what it holds). */
@Injectable({ providedIn: 'root' })
export class BackupService {
  private readonly store = inject(Store);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly stamp = inject(EntityStamp);

  async exportToFile(): Promise<void> {
    const state = await firstValueFrom(this.store.select(selectDomainState));
    const data: DomainData = {
      task: Object.values(state.task.entities).filter((e) => !!e),
      project: Object.values(state.project.entities).filter((e) => !!e),
      tag: Object.values(state.tag.entities).filter((e) => !!e),
      metric: Object.values(state.metric.entities).filter((e) => !!e),
    } as DomainData;
    const now = this.stamp.now();
    const blob = new Blob([JSON.stringify(createBackup(data, now), null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = backupFileName(now);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** Reads the file, shows what is wrong or what will be imported, and replaces the data on confirmation. */
  async importFile(file: File): Promise<boolean> {
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      this.snackBar.open(`Could not read “${file.name}”: ${(e as Error).message}`, 'Close');
      return false;
    }
    const result = parseBackup(text, this.stamp.stamp());
    const confirmed = await firstValueFrom(
      this.dialog
        .open<ImportDialog, ImportDialogData, boolean>(ImportDialog, { data: { fileName: file.name, result }, width: '560px', maxWidth: '95vw' })
        .afterClosed(),
    );
    if (!result.ok || !confirmed) return false;
    this.store.dispatch(ImportActions.dataImported({ data: result.data }));
    const { task, project } = result.data;
    this.snackBar.open(`Imported ${plural(task.length, 'task')} and ${plural(project.length, 'project')}`, undefined, { duration: 3000 });
    return true;
  }
}
