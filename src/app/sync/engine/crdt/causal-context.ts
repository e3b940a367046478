/**
 * A set of dots (replica, counter), stored as a version vector plus the dots that arrived out of
 * order. Each device numbers its writes 1, 2, 3, … so in the usual case the vector alone says it all.
 */
export type Dot = readonly [replica: string, counter: number];

export interface CausalContextData {
  readonly vv: Readonly<Record<string, number>>;
  readonly cloud?: Readonly<Record<string, readonly number[]>>;
}

/** More writes of one device than a single commit ever carries, when they do not continue what is known. */
export const MAX_DETACHED_SPAN = 1_000_000;

export class CausalContext {
  private readonly vv = new Map<string, number>();
  private readonly cloud = new Map<string, Set<number>>();

  static from(data: CausalContextData | undefined): CausalContext {
    const context = new CausalContext();
    if (!data) return context;
    for (const [replica, counter] of Object.entries(data.vv)) context.vv.set(replica, counter);
    for (const [replica, counters] of Object.entries(data.cloud ?? {})) {
      for (const counter of counters) context.add([replica, counter]);
    }
    return context;
  }

  has([replica, counter]: Dot): boolean {
    return counter <= (this.vv.get(replica) ?? 0) || (this.cloud.get(replica)?.has(counter) ?? false);
  }

  add([replica, counter]: Dot): void {
    const top = this.vv.get(replica) ?? 0;
    if (counter <= top) return;
    if (counter === top + 1) {
      let next = counter;
      const pending = this.cloud.get(replica);
      while (pending?.has(next + 1)) {
        pending.delete(next + 1);
        next += 1;
      }
      this.vv.set(replica, next);
      if (pending && pending.size === 0) this.cloud.delete(replica);
    } else {
      let pending = this.cloud.get(replica);
      if (!pending) this.cloud.set(replica, (pending = new Set()));
      pending.add(counter);
    }
  }

  /** Whether every counter `from..to` of `replica` is in the context; never walks more than the out-of-order dots it holds. */
  hasRange(replica: string, from: number, to: number): boolean {
    const top = this.vv.get(replica) ?? 0;
    if (to <= top) return true;
    const start = Math.max(from, top + 1);
    const pending = this.cloud.get(replica);
    if (!pending || to - start + 1 > pending.size) return false;
    for (let n = start; n <= to; n++) if (!pending.has(n)) return false;
    return true;
  }

  /**
   * Adds the counters `from..to` of `replica`: O(1) when they continue the version vector. A span
   * beyond a gap is kept dot by dot, so a span larger than any real commit (a hostile or broken
   * remote file) is refused instead of filling the memory.
   */
  addRange(replica: string, from: number, to: number): void {
    const top = this.vv.get(replica) ?? 0;
    if (to <= top) return;
    if (from <= top + 1) {
      this.add([replica, top + 1]);
      if (to > (this.vv.get(replica) ?? 0)) {
        const pending = this.cloud.get(replica);
        if (pending) for (const n of [...pending]) if (n <= to) pending.delete(n);
        let next = to;
        while (pending?.has(next + 1)) pending.delete(++next);
        this.vv.set(replica, next);
        if (pending && pending.size === 0) this.cloud.delete(replica);
      }
      return;
    }
    if (to - from + 1 > MAX_DETACHED_SPAN) throw new RangeError(`a range of ${to - from + 1} writes of one device beyond a gap is more than any commit holds`);
    for (let n = from; n <= to; n++) this.add([replica, n]);
  }

  addAll(other: CausalContext): void {
    for (const [replica, counter] of other.vv) {
      const top = this.vv.get(replica) ?? 0;
      if (counter > top) {
        this.vv.set(replica, counter);
        // Fold in out-of-order dots that are now contiguous.
        const pending = this.cloud.get(replica);
        if (pending) {
          for (const n of [...pending]) if (n <= counter) pending.delete(n);
          let next = counter;
          while (pending.has(next + 1)) pending.delete(++next);
          this.vv.set(replica, next);
          if (pending.size === 0) this.cloud.delete(replica);
        }
      }
    }
    for (const [replica, counters] of other.cloud) for (const counter of counters) this.add([replica, counter]);
  }

  /** True when every dot of `other` is in this context. */
  covers(other: CausalContext): boolean {
    for (const [replica, counter] of other.vv) {
      const top = this.vv.get(replica) ?? 0;
      if (counter > top) {
        const pending = this.cloud.get(replica);
        for (let n = top + 1; n <= counter; n++) if (!pending?.has(n)) return false;
      }
    }
    for (const [replica, counters] of other.cloud) for (const counter of counters) if (!this.has([replica, counter])) return false;
    return true;
  }

  /** The highest counter of a replica that this context has seen, contiguous or not. */
  max(replica: string): number {
    const pending = this.cloud.get(replica);
    return Math.max(this.vv.get(replica) ?? 0, ...(pending ? [...pending] : []));
  }

  /** Forget every dot of `replica` above `counter`. */
  truncate(replica: string, counter: number): void {
    if ((this.vv.get(replica) ?? 0) > counter) {
      if (counter > 0) this.vv.set(replica, counter);
      else this.vv.delete(replica);
    }
    const pending = this.cloud.get(replica);
    if (pending) {
      for (const n of [...pending]) if (n > counter) pending.delete(n);
      if (pending.size === 0) this.cloud.delete(replica);
    }
  }

  clone(): CausalContext {
    return CausalContext.from(this.toData());
  }

  toData(): CausalContextData {
    const vv: Record<string, number> = {};
    for (const [replica, counter] of [...this.vv].sort(([a], [b]) => (a < b ? -1 : 1))) vv[replica] = counter;
    if (this.cloud.size === 0) return { vv };
    const cloud: Record<string, number[]> = {};
    for (const [replica, counters] of this.cloud) cloud[replica] = [...counters].sort((a, b) => a - b);
    return { vv, cloud };
  }
}
