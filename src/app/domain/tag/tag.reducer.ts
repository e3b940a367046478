import { createEntityAdapter, EntityState } from '@ngrx/entity';
import { createReducer, on } from '@ngrx/store';
import { applyRemoteEntities } from '../apply-remote';
import { ImportActions, PersistenceActions, RemoteEntitiesActions } from '../app-data.actions';
import { TagPageActions } from './tag.actions';
import { Tag } from './tag.model';

export type TagState = EntityState<Tag>;

export const tagAdapter = createEntityAdapter<Tag>();

/** Deleting a tag also changes tasks, so it lives in the relations meta-reducer. */
export const tagReducer = createReducer<TagState>(
  tagAdapter.getInitialState(),
  on(TagPageActions.addTag, (state, { tag }) => tagAdapter.addOne({ ...tag, taskIds: [] }, state)),
  on(TagPageActions.renameTag, (state, { id, title }) =>
    tagAdapter.updateOne({ id, changes: { title } }, state),
  ),
  on(PersistenceActions.stateLoaded, ImportActions.dataImported, (state, { data }) =>
    tagAdapter.setAll(data.tag, state),
  ),
  on(RemoteEntitiesActions.remoteEntitiesApplied, (state, { upsert, remove }) =>
    applyRemoteEntities(tagAdapter, state, upsert.tag, remove.tag),
  ),
);
