import { ActionReducer } from '@ngrx/store';
import { isDomainEdit, TabRoleState } from './tab-role';

/**
 * In a tab that does not lead, an edit does not change this tab's state: the coordinator sends it to
 * the leader, whose changes come back (within milliseconds). So every tab shows one state, the
 * leader's, and no tab ever holds a copy of its own to write from.
 */
export function tabEditsMetaReducer(role: TabRoleState) {
  return <S>(reducer: ActionReducer<S>): ActionReducer<S> =>
    (state, action) => (state !== undefined && !role.leads && isDomainEdit(action) ? state : reducer(state, action));
}
