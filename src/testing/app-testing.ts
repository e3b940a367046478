import { Provider, EnvironmentProviders } from '@angular/core';
import { provideRouter } from '@angular/router';
import { provideStore } from '@ngrx/store';
import { domainReducers } from '../app/domain/domain-state';
import { relationsMetaReducer } from '../app/domain/relations/relations.meta-reducer';
import { persistenceFeature } from '../app/persistence/persistence.reducer';
import { CLOCK } from '../app/domain/clock';

/** The app's store and router without persistence: for component tests. */
export function provideAppForTest(): (Provider | EnvironmentProviders)[] {
  return [
    provideRouter([]),
    provideStore({ ...domainReducers, persistence: persistenceFeature.reducer }, { metaReducers: [relationsMetaReducer] }),
    { provide: CLOCK, useValue: () => 1_760_000_000_000 },
  ];
}
