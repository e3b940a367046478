import { Action, ActionReducer } from '@ngrx/store';
import { ImportActions } from '../app-data.actions';
import { domainData, DomainState } from '../domain-state';
import { planImport } from './import-plan';

/**
 * A backup merged into the data as it is when the action runs (in the tab that leads, after any
 * change made while the import dialog was open), never into a copy taken before.
 */
export function importMergeMetaReducer<S extends DomainState>(reducer: ActionReducer<S>): ActionReducer<S> {
  return (state: S | undefined, action: Action): S => {
    if (!state || action.type !== ImportActions.dataMerged.type) return reducer(state, action);
    const { data } = action as ReturnType<typeof ImportActions.dataMerged>;
    return reducer(state, ImportActions.dataImported({ data: planImport(domainData(state), data, 'merge') }));
  };
}
