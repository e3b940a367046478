import { createEntityAdapter, EntityState } from '@ngrx/entity';
import { createReducer, on } from '@ngrx/store';
import { applyRemoteEntities } from '../apply-remote';
import { ImportActions, PersistenceActions, RemoteEntitiesActions } from '../app-data.actions';
import { ProjectPageActions } from './project.actions';
import { Project } from './project.model';

export type ProjectState = EntityState<Project>;

export const projectAdapter = createEntityAdapter<Project>();

export const projectReducer = createReducer<ProjectState>(
  projectAdapter.getInitialState(),
  on(ProjectPageActions.addProject, (state, { project }) =>
    projectAdapter.addOne({ ...project, taskIds: [], backlogTaskIds: [] }, state),
  ),
  on(ProjectPageActions.renameProject, (state, { id, title }) =>
    projectAdapter.updateOne({ id, changes: { title } }, state),
  ),
  on(ProjectPageActions.archiveProject, (state, { id, isArchived }) =>
    projectAdapter.updateOne({ id, changes: { isArchived } }, state),
  ),
  on(PersistenceActions.stateLoaded, ImportActions.dataImported, (state, { data }) =>
    projectAdapter.setAll(data.project, state),
  ),
  on(RemoteEntitiesActions.remoteEntitiesApplied, (state, { upsert, remove }) =>
    applyRemoteEntities(projectAdapter, state, upsert.project, remove.project),
  ),
);
