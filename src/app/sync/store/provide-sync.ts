import { EnvironmentProviders, inject, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { META_REDUCERS, provideState } from '@ngrx/store';
import { CLOCK } from '../../domain/clock';
import { DomainData } from '../../domain/domain-data.model';
import { AFTER_STATE_LOADED, PERSIST_COMPANION } from '../../persistence/persistence.tokens';
import { SyncEngineHost } from './sync-engine-host.service';
import { syncStampingMetaReducer } from './sync-stamping.meta-reducer';
import { SyncEffects } from './sync.effects';
import { syncFeature } from './sync.reducer';

/**
 * The sync inside the app: stamps local changes, keeps the engine's bookkeeping in the same
 * IndexedDB transaction as each change, starts the engine once the stored state is loaded
 * (and only then the first sync), and the effects that decide when to sync.
 */
export function provideSync(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideState(syncFeature),
    provideEffects(SyncEffects),
    { provide: META_REDUCERS, useFactory: (clock: () => number) => syncStampingMetaReducer(clock), deps: [CLOCK], multi: true },
    {
      provide: PERSIST_COMPANION,
      useFactory: () => {
        const host = inject(SyncEngineHost);
        return host.recordLocal.bind(host);
      },
    },
    {
      provide: AFTER_STATE_LOADED,
      multi: true,
      useFactory: () => {
        const host = inject(SyncEngineHost);
        return (data: DomainData) => host.start(data);
      },
    },
  ]);
}
