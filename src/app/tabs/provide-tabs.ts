import { EnvironmentProviders, inject, makeEnvironmentProviders, provideAppInitializer } from '@angular/core';
import { META_REDUCERS } from '@ngrx/store';
import { TabCoordinator } from './tab-coordinator.service';
import { tabEditsMetaReducer } from './tab-edits.meta-reducer';
import { TabRoleState } from './tab-role';

/**
 * The app starts once this tab shows a state: the stored one if it leads, the leader's if it
 * follows. Nothing (UI, sync) can act on, or overwrite, an empty state that is merely not loaded yet.
 */
export function provideTabs(): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: META_REDUCERS, useFactory: (role: TabRoleState) => tabEditsMetaReducer(role), deps: [TabRoleState], multi: true },
    provideAppInitializer(() => inject(TabCoordinator).start()),
  ]);
}
