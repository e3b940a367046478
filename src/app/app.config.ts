import { importMergeMetaReducer } from './domain/backup/import-merge.meta-reducer';
import { ApplicationConfig, isDevMode, provideBrowserGlobalErrorListeners } from '@angular/core';
import { MAT_DIALOG_DEFAULT_OPTIONS, MatDialogConfig } from '@angular/material/dialog';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import { provideStore } from '@ngrx/store';
import { domainReducers } from './domain/domain-state';
import { relationsMetaReducer } from './domain/relations/relations.meta-reducer';
import { persistenceFeature } from './persistence/persistence.reducer';
import { routes } from './app.routes';
import { provideSync } from './sync/store/provide-sync';
import { provideTabs } from './tabs/provide-tabs';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    provideStore(
      { ...domainReducers, [persistenceFeature.name]: persistenceFeature.reducer },
      {
        metaReducers: [importMergeMetaReducer, relationsMetaReducer],
        runtimeChecks: { strictStateImmutability: isDevMode(), strictActionImmutability: isDevMode() },
      },
    ),
    // Focus moves into a dialog at once, not after its open animation: keys typed meanwhile are kept.
    { provide: MAT_DIALOG_DEFAULT_OPTIONS, useValue: { ...new MatDialogConfig(), delayFocusTrap: false } },
    // The production build opens with no network: the data is local, so the app must open on a train too.
    provideServiceWorker('sw.js', { enabled: !isDevMode(), registrationStrategy: 'registerImmediately' }),
    provideSync(),
    // Loads the stored state (in the tab that leads) or the leader's (in any other tab) before the app shows.
    provideTabs(),
  ],
};
