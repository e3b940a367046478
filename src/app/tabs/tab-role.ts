import { Injectable } from '@angular/core';
import { Action } from '@ngrx/store';
import { TabRole as Role } from './tab-protocol';

/** Action sources that change the domain data: run by the leading tab only, forwarded from the others. */
const DOMAIN_EDIT_SOURCES = ['[Task Page]', '[Project Page]', '[Tag Page]', '[Metrics Page]', '[Import]'];
/** What a person asks of sync in any tab; the leader does it (testing a connection is the asking tab's own). */
const SYNC_REQUEST_SOURCE = '[Sync UI]';
const LOCAL_SYNC_REQUESTS = new Set(['[Sync UI] Test Connection']);

export function isDomainEdit(action: Action): boolean {
  return DOMAIN_EDIT_SOURCES.some((source) => action.type.startsWith(source));
}

/** Actions a following tab sends to the leader to run there. */
export function isForwarded(action: Action): boolean {
  return isDomainEdit(action) || (action.type.startsWith(SYNC_REQUEST_SOURCE) && !LOCAL_SYNC_REQUESTS.has(action.type));
}

/**
 * This tab's role among the tabs of its profile. Until the coordinator says otherwise a tab leads:
 * an app without it (unit tests, a browser with no Web Locks) is one tab alone.
 */
@Injectable({ providedIn: 'root' })
export class TabRoleState {
  role: Role = 'leader';

  get leads(): boolean {
    return this.role === 'leader';
  }
}
