/**
 * Position keys for ordered lists (as Figma's fractional indexes): strings over a base-36
 * alphabet compared as plain strings. A key can always be made between two others, so an insert
 * or a move writes only the element that moved, and concurrent inserts never collide in meaning.
 */
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;

function digit(key: string, i: number, fallback: number): number {
  return i < key.length ? DIGITS.indexOf(key[i]) : fallback;
}

/**
 * A key strictly between `before` and `after` (either may be null for the list's ends).
 * Keys never end in '0', so there is always room below them.
 */
export function keyBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) {
    throw new Error(`keyBetween: '${before}' is not before '${after}'`);
  }
  let result = '';
  for (let i = 0; ; i++) {
    const low = before === null ? 0 : digit(before, i, 0);
    const high = after === null ? BASE : digit(after, i, BASE);
    if (low === high) {
      result += DIGITS[low];
      continue;
    }
    if (high - low > 1) {
      return result + DIGITS[(low + high) >> 1];
    }
    // Adjacent digits: take the lower one and go on below `after`'s constraint only on `before`'s side.
    result += DIGITS[low];
    const rest = before === null ? '' : before.slice(i + 1);
    return result + keyAfter(rest);
  }
}

/** A key greater than `key` (read as a fraction) and below the next digit. */
function keyAfter(key: string): string {
  let result = '';
  for (let i = 0; ; i++) {
    const d = digit(key, i, 0);
    if (d < BASE - 1) return result + DIGITS[Math.max(d + 1, (d + BASE) >> 1)];
    result += DIGITS[d];
  }
}

/** `count` evenly spread keys between two bounds, for writing a whole list at once. */
export function keysBetween(before: string | null, after: string | null, count: number): string[] {
  if (count === 0) return [];
  if (before === null && after === null && count > 1) {
    // Spread over a fixed width so that a long list gets short keys.
    const width = Math.max(1, Math.ceil(Math.log(count + 1) / Math.log(BASE)));
    const step = Math.pow(BASE, width) / (count + 1);
    const keys: string[] = [];
    for (let i = 1; i <= count; i++) {
      let key = Math.floor(step * i).toString(36).padStart(width, '0').replace(/0+$/, '');
      if (key === '' || (keys.length && key <= keys[keys.length - 1])) key = keyBetween(keys[keys.length - 1] ?? null, null);
      keys.push(key);
    }
    return keys;
  }
  const keys: string[] = [];
  let previous = before;
  for (let i = 0; i < count; i++) {
    previous = keyBetween(previous, after);
    keys.push(previous);
  }
  return keys;
}

