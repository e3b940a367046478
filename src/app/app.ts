import { APP_NAME } from './app-name';
import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, effect, ElementRef, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Store } from '@ngrx/store';
import { map } from 'rxjs';
import { selectActiveProjects, selectAllTags, selectArchivedProjects, selectInboxOpenCount, selectOpenTaskCountByProject, selectOpenTaskCountByTag } from './domain/domain.selectors';
import { selectSaveStatus, selectWriteError } from './persistence/persistence.reducer';
import { BackupService } from './pages/backup/backup.service';
import { ProjectCreator } from './pages/shared/project-creator.service';
import { SyncStatusComponent } from './sync/ui/sync-status.component';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterOutlet, RouterLink, RouterLinkActive, MatSidenavModule, MatToolbarModule, MatListModule,
    MatIconModule, MatButtonModule, MatMenuModule, MatTooltipModule, MatDividerModule, SyncStatusComponent,
  ],
  templateUrl: './app.html',
  styleUrl: './app.scss',
})
export class App {
  protected readonly appName = APP_NAME;
  private readonly store = inject(Store);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly creator = inject(ProjectCreator);
  protected readonly backup = inject(BackupService);
  private readonly fileInput = viewChild.required<ElementRef<HTMLInputElement>>('fileInput');

  protected readonly projects = this.store.selectSignal(selectActiveProjects);
  protected readonly archivedCount = computed(() => this.archived().length);
  private readonly archived = this.store.selectSignal(selectArchivedProjects);
  protected readonly openCounts = this.store.selectSignal(selectOpenTaskCountByProject);
  protected readonly openTagCounts = this.store.selectSignal(selectOpenTaskCountByTag);
  protected readonly inboxCount = this.store.selectSignal(selectInboxOpenCount);
  protected readonly tags = this.store.selectSignal(selectAllTags);
  protected readonly saveStatus = this.store.selectSignal(selectSaveStatus);
  protected readonly writeError = this.store.selectSignal(selectWriteError);
  protected readonly isHandset = toSignal(
    inject(BreakpointObserver).observe('(max-width: 760px)').pipe(map((r) => r.matches)),
    { initialValue: false },
  );

  constructor() {
    effect(() => {
      const error = this.writeError();
      if (error) this.snackBar.open(error, 'Dismiss', { panelClass: 'error-snack' });
    });
  }

  protected chooseImportFile(): void {
    this.fileInput().nativeElement.click();
  }

  protected async importChosenFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (file) await this.backup.importFile(file);
  }
}
