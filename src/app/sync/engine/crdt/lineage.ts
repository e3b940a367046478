import { Dot } from './causal-context';
import { RegisterValue } from './entity-record';

/**
 * What a local write replaced, carried forward from one write of a register to the next.
 *
 * A delta says which dots its changes replaced since its writer's previous commit. Should that
 * previous commit's file be lost for good (a server that answered for it and never stored it, its
 * writer restored from a backup since), a reader still holding a value the lost file replaced
 * could not tell that the next commit replaced it too. So each value this device writes remembers
 * (`p`) the values its write replaced, directly or through this device's earlier values of the
 * register, and every later write of the register sends them again. Local only: never on the wire.
 *
 * One dot per replica is enough: values of one replica in one register are ordered by counter, a
 * later one having seen the earlier (one id per opening), so a reader counts a replaced dot as
 * replacing every value of its replica at or below it in that register (entity-record.ts).
 */
export function lineage(replaced: readonly RegisterValue[], writer: string): Dot[] | undefined {
  const highest = new Map<string, number>();
  const add = (replica: string, counter: number) => {
    if (replica !== writer && counter > (highest.get(replica) ?? 0)) highest.set(replica, counter);
  };
  for (const value of replaced) {
    add(value.r, value.n);
    for (const [replica, counter] of value.p ?? []) add(replica, counter);
  }
  return highest.size ? [...highest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : undefined;
}

/** The dots a write over `replaced` says it replaced: theirs, and what they had replaced. */
export function replacedBy(replaced: readonly RegisterValue[]): Dot[] {
  const dots: Dot[] = replaced.map((value): Dot => [value.r, value.n]);
  for (const value of replaced) for (const dot of value.p ?? []) dots.push([dot[0], dot[1]]);
  return dots;
}
