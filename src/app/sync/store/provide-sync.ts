import { EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { META_REDUCERS, provideState } from '@ngrx/store';
import { CLOCK } from '../../domain/clock';
import { syncStampingMetaReducer } from './sync-stamping.meta-reducer';
import { SyncEffects } from './sync.effects';
import { syncFeature } from './sync.reducer';

/**
 * The sync inside the app: stamps local changes, and the effects that decide when to sync. The
 * engine is opened by the tab that leads (tabs/), and every entity change goes through LocalWriter.
 */
export function provideSync(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideState(syncFeature),
    provideEffects(SyncEffects),
    { provide: META_REDUCERS, useFactory: (clock: () => number) => syncStampingMetaReducer(clock), deps: [CLOCK], multi: true },
  ]);
}
