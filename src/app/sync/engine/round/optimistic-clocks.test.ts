import { parseJsonBytes } from '../remote/codec';
import { META_PATH, RootMeta } from '../remote/remote-format';
import { SyncEngine } from '../sync-engine';
import { World, create, edit, overriding, syncAll, task } from '../testing/harness';

function root(world: World): RootMeta {
  return parseJsonBytes(world.remote.files.get(META_PATH)!.data) as RootMeta;
}

/** B compacts, and the files its snapshot replaced are deleted once their grace period is over. */
async function compactAndCollect(world: World, b: SyncEngine, graceMs: number): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await edit(b, 'task', 't1', () => ({ notes: `B ${i}` }));
    await b.sync();
  }
  world.later(3 * graceMs);
  await b.sync();
  world.later(3 * graceMs);
  await edit(b, 'task', 't1', () => ({ title: 'B again' }));
  await b.sync();
}

/** Files the root names that the server does not hold (rule 5). */
function namedAndMissing(world: World): { named: string[]; missing: string[] } {
  const meta = root(world);
  const named = [...(meta.snapshot ? [meta.snapshot.file] : []), ...meta.deltas.map((delta) => delta.file)];
  return { named, missing: named.filter((file) => !world.remote.files.has(file)) };
}

/** The optimistic commit (no read of meta.json) is only for a root read moments ago, on both of the device's clocks. */
describe('the optimistic commit on a clock that misleads', () => {
  const graceMs = 20_000;

  async function scenario(clocks: { wall: number; mono: number }): Promise<{ named: string[]; missing: string[] }> {
    const world = new World({ honoursConditions: false });
    const a = await world.device('A', { graceMs, now: () => world.now + clocks.wall, monotonic: () => world.now + clocks.mono });
    const b = await world.device('B', { graceMs, compactAfterDeltas: 3 });
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    // A read the root a moment ago; now one of its clocks misleads (set back an hour, or stood still while it slept).
    const stall = world.now;
    if (clocks.wall < 0) clocks.wall = -3_600_000;
    await compactAndCollect(world, b, graceMs);
    if (clocks.mono < 0) clocks.mono = stall - world.now;
    await edit(a, 'task', 't1', () => ({ isDone: true }));
    await a.sync();
    return namedAndMissing(world);
  }

  it('reads meta.json first when its wall clock was set back since, so it names no file compaction removed', async () => {
    const { named, missing } = await scenario({ wall: -1, mono: 0 });
    expect(named.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('reads meta.json first after a sleep its monotonic clock did not count', async () => {
    const { named, missing } = await scenario({ wall: 0, mono: -1 });
    expect(named.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});

describe('a compare-and-swap round that pauses', () => {
  it('reads meta.json again before writing it after pausing mid-round, so on a server ignoring If-Match it names no file compaction removed', async () => {
    const graceMs = 20_000;
    const world = new World({ honoursConditions: false });
    const b = await world.device('B', { graceMs, compactAfterDeltas: 3 });
    let pause: (() => Promise<void>) | null = null;
    const sleepy = overriding(world.remote, {
      write: async (path, data, options) => {
        const during = pause;
        if (during && path.startsWith('deltas/')) {
          pause = null;
          await during();
        }
        return world.remote.write(path, data, options);
      },
    });
    const a = await world.device('A', { graceMs, store: sleepy });
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    // A's next round reads the root, then its machine sleeps while B compacts and the replaced files go.
    pause = () => compactAndCollect(world, b, graceMs);
    world.later(3 * graceMs);
    await edit(a, 'task', 't1', () => ({ isDone: true }));
    await a.sync();
    expect(pause).toBeNull();
    expect(namedAndMissing(world).missing).toEqual([]);
    await b.sync();
    for (const engine of [a, b]) expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'B again', isDone: true }));
  });
});
