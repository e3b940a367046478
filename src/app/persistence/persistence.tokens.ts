import { InjectionToken } from '@angular/core';
import type { DomainDiff } from '../domain/entity-diff';
import type { DomainState } from '../domain/domain-state';
import type { DomainData } from '../domain/domain-data.model';
import type { SyncBookkeepingWrite } from './local-database';

export const DEFAULT_DB_NAME = 'super-sync';

const DB_NAME_PATTERN = /^[\w-]{1,64}$/;
const SESSION_KEY = 'super-sync-db-name';

/**
 * Name of the IndexedDB database. Tests provide a unique name each. A second app instance in the
 * same browser (two "devices" side by side) is opened with `?db=<name>`; the choice sticks to
 * that tab (sessionStorage), so reloads after in-app navigation, which drops the query, keep it.
 */
export const APP_DB_NAME = new InjectionToken<string>('APP_DB_NAME', {
  factory: () => {
    if (typeof location === 'undefined') return DEFAULT_DB_NAME;
    const fromUrl = new URLSearchParams(location.search).get('db');
    if (fromUrl && DB_NAME_PATTERN.test(fromUrl)) {
      sessionStorage.setItem(SESSION_KEY, fromUrl);
      return fromUrl;
    }
    const remembered = sessionStorage.getItem(SESSION_KEY);
    return remembered && DB_NAME_PATTERN.test(remembered) ? remembered : DEFAULT_DB_NAME;
  },
});

/** Milliseconds to gather a burst of actions into one IndexedDB transaction. */
export const PERSIST_DEBOUNCE_MS = new InjectionToken<number>('PERSIST_DEBOUNCE_MS', { factory: () => 0 });

/**
 * Called with each batch of entity changes before it is written; what it returns is written in
 * the same transaction. The sync layer uses it to keep its bookkeeping with the changes.
 */
export const PERSIST_COMPANION = new InjectionToken<(diff: DomainDiff, before: DomainState) => SyncBookkeepingWrite | null>('PERSIST_COMPANION');

/** Run once the stored state is in the store, before the app starts (multi provider). */
export const AFTER_STATE_LOADED = new InjectionToken<Array<(data: DomainData) => Promise<void>>>('AFTER_STATE_LOADED');
