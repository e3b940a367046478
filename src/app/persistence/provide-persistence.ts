import { EnvironmentProviders, inject, makeEnvironmentProviders, provideAppInitializer } from '@angular/core';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { PersistenceActions } from '../domain/app-data.actions';
import { selectDomainState } from '../domain/domain.selectors';
import { LocalDatabase } from './local-database';
import { PersistenceStatusActions } from './persistence.actions';
import { StatePersister } from './state-persister';
import { AFTER_STATE_LOADED } from './persistence.tokens';

/** Loads the stored state into the store, then starts writing changes back. */
export async function loadPersistedState(): Promise<void> {
  const db = inject(LocalDatabase);
  const store = inject(Store);
  const persister = inject(StatePersister);
  const afterLoad = inject(AFTER_STATE_LOADED, { optional: true }) ?? [];
  const loaded = await db.load();
  if (loaded.repairs.length) console.warn('Repaired stored data on load:', loaded.repairs);
  store.dispatch(PersistenceStatusActions.deviceIdentified({ deviceId: loaded.deviceId, dbName: db.name }));
  store.dispatch(PersistenceActions.stateLoaded({ data: loaded.data }));
  persister.start(await firstValueFrom(store.select(selectDomainState)));
  // Then whatever must wait for the stored state (the sync engine), before the app shows.
  for (const hook of afterLoad) await hook(loaded.data);
}

/**
 * The app starts only after the stored state is in the store: nothing (UI, later sync) can act
 * on, or overwrite, an empty state that merely has not been loaded yet.
 */
export function provideLocalPersistence(): EnvironmentProviders {
  return makeEnvironmentProviders([provideAppInitializer(loadPersistedState)]);
}
