import { InjectionToken } from '@angular/core';

/** The wall clock, replaceable in tests. */
export const CLOCK = new InjectionToken<() => number>('CLOCK', { factory: () => () => Date.now() });

/** Ids that sort by creation time, so stores keyed by id list entities in the order they were made. */
export function timeOrderedId(now: number): string {
  const random = new Uint32Array(2);
  crypto.getRandomValues(random);
  return `${now.toString(36).padStart(9, '0')}-${random[0].toString(36)}${random[1].toString(36)}`;
}
