import fc from 'fast-check';
import { CausalContext } from './causal-context';
import { decodeStamp, encodeStamp, isStamp, MAX_COUNTER, MAX_WALL, observe, tick } from './clock';
import { keyBetween, keysBetween } from './fractional-index';

describe('fractional index', () => {
  const key = fc.stringMatching(/^[0-9a-z]{0,6}[1-9a-z]$/);

  it('always finds a key strictly between two keys', () => {
    fc.assert(
      fc.property(key, key, (x, y) => {
        fc.pre(x !== y);
        const [low, high] = x < y ? [x, y] : [y, x];
        const middle = keyBetween(low, high);
        return low < middle && middle < high && !middle.endsWith('0');
      }),
      { numRuns: 2000 },
    );
  });

  it('finds keys before the first and after the last element', () => {
    fc.assert(fc.property(key, (x) => keyBetween(null, x) < x && keyBetween(x, null) > x));
  });

  it('spreads a whole list over increasing keys', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), (n) => {
        const keys = keysBetween(null, null, n);
        return keys.length === n && keys.every((k, i) => i === 0 || keys[i - 1] < k);
      }),
      { numRuns: 50 },
    );
  });
});

describe('hybrid logical clock', () => {
  it('orders stamps as strings the way it orders time', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.nat(1000), fc.nat(2 ** 40), fc.nat(1000), (w1, c1, w2, c2) => {
        const order = Math.sign(w1 - w2 || c1 - c2);
        const a = encodeStamp(w1, c1);
        const b = encodeStamp(w2, c2);
        return Math.sign(a < b ? -1 : a > b ? 1 : 0) === order && decodeStamp(a).wall === w1;
      }),
    );
  });

  it('stamps after anything it has seen, even when the wall clock is behind', () => {
    const clock = { wall: 0, counter: 0 };
    observe(clock, encodeStamp(5_000, 7));
    expect(tick(clock, 1_000) > encodeStamp(5_000, 7)).toBeTrue();
  });

  it('keeps every stamp readable after seeing a full counter: the wall moves on instead of the counter growing a digit', () => {
    const clock = { wall: 0, counter: 0 };
    const full = encodeStamp(5_000, MAX_COUNTER);
    observe(clock, full);
    let previous = full;
    for (let i = 0; i < 3; i++) {
      const next = tick(clock, 1_000);
      expect(isStamp(next)).withContext(next).toBeTrue();
      expect(next > previous).toBeTrue();
      previous = next;
    }
  });

  it('keeps stamps readable behind a far-future stamp for more ticks than a counter holds', () => {
    const clock = { wall: 0, counter: 0 };
    observe(clock, encodeStamp(MAX_WALL - 1, 0));
    const stamps = Array.from({ length: MAX_COUNTER + 5 }, () => tick(clock, 1_000));
    expect(stamps.every(isStamp)).toBeTrue();
    expect(stamps.at(-1)! >= stamps.at(-2)!).toBeTrue();
  });
});

describe('causal context', () => {
  it('answers membership like a plain set of dots, whatever the order they arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 1, max: 30 }))), (dots) => {
        const context = new CausalContext();
        const plain = new Set<string>();
        for (const [r, n] of dots) {
          context.add([r, n]);
          plain.add(`${r}${n}`);
        }
        const copy = CausalContext.from(context.toData());
        for (const r of ['a', 'b']) for (let n = 1; n <= 31; n++) if (copy.has([r, n]) !== plain.has(`${r}${n}`)) return false;
        return true;
      }),
    );
  });

  it('forgets exactly the dots above a counter', () => {
    const context = CausalContext.from({ vv: { a: 10 }, cloud: { a: [12, 15] } });
    context.truncate('a', 6);
    expect(context.has(['a', 6])).toBeTrue();
    expect(context.has(['a', 7])).toBeFalse();
    expect(context.has(['a', 12])).toBeFalse();
  });
});
