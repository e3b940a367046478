import { InjectionToken } from '@angular/core';

export const DEFAULT_DB_NAME = 'super-sync';

/**
 * Name of the IndexedDB database. Tests use a unique name each; a second app instance in the same
 * browser (two "devices" side by side) opens the app with `?db=<name>`.
 */
export const APP_DB_NAME = new InjectionToken<string>('APP_DB_NAME', {
  factory: () => {
    const fromUrl = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('db');
    return fromUrl && /^[\w-]{1,64}$/.test(fromUrl) ? fromUrl : DEFAULT_DB_NAME;
  },
});

/** Milliseconds to gather a burst of actions into one IndexedDB transaction. */
export const PERSIST_DEBOUNCE_MS = new InjectionToken<number>('PERSIST_DEBOUNCE_MS', { factory: () => 0 });
