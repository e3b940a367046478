/**
 * Runs at most `limit` tasks at a time; the rest wait in order. One limiter is shared by all the
 * requests of a provider, so a sync that fetches fifty deltas never opens fifty connections.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`The concurrency limit must be a positive integer, not ${limit}.`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A waiter is handed the finishing task's slot: were the slot freed first, a caller arriving
    // before the waiter resumes could take it too, and the limit would be exceeded.
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
