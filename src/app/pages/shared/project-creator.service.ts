import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { Store } from '@ngrx/store';
import { selectAllProjects, selectAllTags } from '../../domain/domain.selectors';
import { newProject, newTag, PROJECT_COLORS } from '../../domain/entity-factories';
import { ProjectPageActions } from '../../domain/project/project.actions';
import { TagPageActions } from '../../domain/tag/tag.actions';
import { EntityStamp } from './entity-stamp.service';
import { askText, PromptDialogData } from './prompt-dialog.component';

/** Asks for a name and creates a project or a tag, then opens it. */
@Injectable({ providedIn: 'root' })
export class ProjectCreator {
  private readonly dialog = inject(MatDialog);
  private readonly store = inject(Store);
  private readonly router = inject(Router);
  private readonly stamp = inject(EntityStamp);
  private readonly projects = this.store.selectSignal(selectAllProjects);
  private readonly tags = this.store.selectSignal(selectAllTags);

  create(): void {
    this.ask({ title: 'New project', label: 'Project name', confirm: 'Create' }, (title) => {
      const color = PROJECT_COLORS[this.projects().length % PROJECT_COLORS.length];
      const project = newProject(this.stamp.newId(), title, color, this.stamp.stamp());
      this.store.dispatch(ProjectPageActions.addProject({ project }));
      void this.router.navigate(['/project', project.id]);
    });
  }

  createTag(): void {
    this.ask({ title: 'New tag', label: 'Tag name', confirm: 'Create' }, (title) => {
      const color = PROJECT_COLORS[(this.tags().length + 3) % PROJECT_COLORS.length];
      const tag = newTag(this.stamp.newId(), title, color, this.stamp.stamp());
      this.store.dispatch(TagPageActions.addTag({ tag }));
    });
  }

  private ask(data: PromptDialogData, then: (title: string) => void): void {
    askText(this.dialog, data).subscribe(then);
  }
}
