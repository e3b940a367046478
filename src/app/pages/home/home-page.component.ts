import { ChangeDetectionStrategy, Component, effect, inject } from '@angular/core';
import { Router } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import { selectActiveProjects } from '../../domain/domain.selectors';
import { ProjectCreator } from '../shared/project-creator.service';

/** Opens the first project, or invites the person to create one. */
@Component({
  selector: 'app-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatIconModule],
  template: `
    <div class="welcome">
      <mat-icon class="hero">task_alt</mat-icon>
      <h1>Welcome</h1>
      <p>Projects hold your tasks. Create one to start, or import a backup from the menu at the top right.</p>
      <button mat-flat-button (click)="creator.create()" data-testid="welcome-add-project"><mat-icon>add</mat-icon>Create a project</button>
    </div>
  `,
  styles: `
    .welcome { display: flex; flex-direction: column; align-items: center; text-align: center; padding: 96px 24px; gap: 8px; color: var(--mat-sys-on-surface-variant); }
    .hero { font-size: 64px; width: 64px; height: 64px; color: var(--mat-sys-primary); }
    h1 { font: var(--mat-sys-headline-medium); color: var(--mat-sys-on-surface); margin: 8px 0 0; }
    p { max-width: 420px; }
  `,
})
export class HomePage {
  protected readonly creator = inject(ProjectCreator);
  private readonly projects = inject(Store).selectSignal(selectActiveProjects);
  private readonly router = inject(Router);

  constructor() {
    effect(() => {
      const first = this.projects()[0];
      if (first) void this.router.navigate(['/project', first.id], { replaceUrl: true });
    });
  }
}
