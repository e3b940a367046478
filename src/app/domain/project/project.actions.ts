import { createActionGroup, props } from '@ngrx/store';
import { Project } from './project.model';

export const ProjectPageActions = createActionGroup({
  source: 'Project Page',
  events: {
    'Add Project': props<{ project: Project }>(),
    'Rename Project': props<{ id: string; title: string }>(),
    'Archive Project': props<{ id: string; isArchived: boolean }>(),
  },
});
