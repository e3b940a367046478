import { ConcurrencyLimiter } from './concurrency-limiter';

describe('ConcurrencyLimiter', () => {
  it('never runs more tasks at once than its limit, and runs them all', async () => {
    const limiter = new ConcurrencyLimiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limiter.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('frees the slot of a task that failed', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await expectAsync(limiter.run(() => Promise.reject(new Error('boom')))).toBeRejectedWithError('boom');
    await expectAsync(limiter.run(async () => 'next')).toBeResolvedTo('next');
  });
});
