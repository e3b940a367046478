import { importMergeMetaReducer } from '../app/domain/backup/import-merge.meta-reducer';
import { Provider, EnvironmentProviders } from '@angular/core';
import { provideRouter } from '@angular/router';
import { provideState, provideStore } from '@ngrx/store';
import { syncFeature } from '../app/sync/store/sync.reducer';
import { domainReducers } from '../app/domain/domain-state';
import { relationsMetaReducer } from '../app/domain/relations/relations.meta-reducer';
import { persistenceFeature } from '../app/persistence/persistence.reducer';
import { CLOCK } from '../app/domain/clock';

/** The app's store (with the sync state the toolbar shows) and router, without persistence: for component tests. */
export function provideAppForTest(): (Provider | EnvironmentProviders)[] {
  return [
    provideRouter([]),
    provideStore({ ...domainReducers, persistence: persistenceFeature.reducer }, { metaReducers: [importMergeMetaReducer, relationsMetaReducer] }),
    provideState(syncFeature),
    { provide: CLOCK, useValue: () => 1_760_000_000_000 },
  ];
}
