import { ApplicationConfig, isDevMode, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideStore } from '@ngrx/store';
import { domainReducers } from './domain/domain-state';
import { relationsMetaReducer } from './domain/relations/relations.meta-reducer';
import { persistenceFeature } from './persistence/persistence.reducer';
import { provideLocalPersistence } from './persistence/provide-persistence';
import { routes } from './app.routes';
import { provideSync } from './sync/store/provide-sync';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    provideStore(
      { ...domainReducers, [persistenceFeature.name]: persistenceFeature.reducer },
      {
        metaReducers: [relationsMetaReducer],
        runtimeChecks: { strictStateImmutability: isDevMode(), strictActionImmutability: isDevMode() },
      },
    ),
    provideLocalPersistence(),
    provideSync(),
  ],
};
