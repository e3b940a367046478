import { InjectionToken } from '@angular/core';

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
