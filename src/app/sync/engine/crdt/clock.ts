/**
 * Hybrid logical clock (SYNC.md §3). A stamp is `wall ms` and a counter, encoded so that string
 * order is time order; ties between devices are broken by the replica id stored beside it.
 * A stamp issued after seeing another is always greater than it, whatever the wall clocks say.
 */
export interface ClockState {
  wall: number;
  counter: number;
}

const WALL_DIGITS = 9; // base 36: enough until the year 5188
const COUNTER_DIGITS = 4;
/** The largest values a stamp can hold: a clock never goes past them, so every stamp it issues stays readable. */
export const MAX_WALL = 36 ** WALL_DIGITS - 1;
export const MAX_COUNTER = 36 ** COUNTER_DIGITS - 1;

export function encodeStamp(wall: number, counter: number): string {
  return wall.toString(36).padStart(WALL_DIGITS, '0') + counter.toString(36).padStart(COUNTER_DIGITS, '0');
}

export function decodeStamp(stamp: string): ClockState {
  return {
    wall: parseInt(stamp.slice(0, WALL_DIGITS), 36),
    counter: parseInt(stamp.slice(WALL_DIGITS), 36),
  };
}

export function isStamp(value: unknown): value is string {
  return typeof value === 'string' && value.length === WALL_DIGITS + COUNTER_DIGITS && /^[0-9a-z]+$/.test(value);
}

/**
 * The next local stamp: never behind the wall clock, always after everything seen. When the
 * counter is full (a device behind a far-future stamp, or one that read a stamp ending in `zzzz`),
 * the wall part moves on by one millisecond instead: string order stays time order and the stamp
 * keeps its length, which every reader checks. At the very last stamp the clock stays there.
 */
export function tick(clock: ClockState, now: number): string {
  const wall = Math.min(Math.max(0, Math.floor(now)), MAX_WALL);
  if (wall > clock.wall) {
    clock.wall = wall;
    clock.counter = 0;
  } else if (clock.counter < MAX_COUNTER) {
    clock.counter += 1;
  } else if (clock.wall < MAX_WALL) {
    clock.wall += 1;
    clock.counter = 0;
  }
  return encodeStamp(clock.wall, clock.counter);
}

/** Move the clock past a stamp received from another device. */
export function observe(clock: ClockState, stamp: string): void {
  const seen = decodeStamp(stamp);
  if (seen.wall > clock.wall || (seen.wall === clock.wall && seen.counter > clock.counter)) {
    clock.wall = seen.wall;
    clock.counter = seen.counter;
  }
}
