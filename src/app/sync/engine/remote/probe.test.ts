import { overriding } from '../testing/harness';
import { SyncError } from '../sync-error';
import { MemoryRemote } from './memory-remote';
import { probeCommitMode } from './probe';

describe('the commit-mode probe', () => {
  it('trusts compare-and-swap on a server that refuses stale and create-only writes and accepts the current revision', async () => {
    const probe = await probeCommitMode(new MemoryRemote());
    expect(probe.mode).toBe('compare-and-swap');
  });

  it('chooses lock mode on a server that ignores If-Match', async () => {
    expect((await probeCommitMode(new MemoryRemote({ honoursConditions: false }))).mode).toBe('lock');
  });

  it('chooses lock mode on weak ETags: a write with the current revision refused for a second after each write', async () => {
    const inner = new MemoryRemote();
    const writtenAt = new Map<string, number>();
    let now = 0;
    const weak = overriding(inner, {
      write: async (path, data, options) => {
        now += 10;
        if (options?.ifMatch !== undefined && now - (writtenAt.get(path) ?? -Infinity) < 1_000) throw new SyncError('precondition-failed', 'weak ETag');
        const result = await inner.write(path, data, options);
        writtenAt.set(path, now);
        return result;
      },
    });
    const probe = await probeCommitMode(weak);
    expect(probe.mode).toBe('lock');
    expect(probe.reason).toContain('current ETag right after a write');
  });

  it('chooses lock mode when the verdict depends on timing: compare-and-swap once, a stale write accepted the next time', async () => {
    const inner = new MemoryRemote();
    let staleWrites = 0;
    const flaky = overriding(inner, {
      write: async (path, data, options) => {
        // The first stale If-Match is refused, the second one is let through (a race inside the server).
        if (options?.ifMatch !== undefined && data.byteLength && new TextDecoder().decode(data) === 'probe 3' && ++staleWrites === 2) {
          return inner.write(path, data, {});
        }
        return inner.write(path, data, options);
      },
    });
    const probe = await probeCommitMode(flaky);
    expect(staleWrites).toBe(2);
    expect(probe.mode).toBe('lock');
  });
});
