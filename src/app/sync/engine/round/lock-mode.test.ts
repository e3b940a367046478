import { jsonBytes, parseJsonBytes } from '../remote/codec';
import { META_PATH, RootMeta } from '../remote/remote-format';
import { ReadResult } from '../remote/remote-store';
import { World, create, edit, overriding, syncAll, task } from '../testing/harness';

function root(world: World): RootMeta {
  return parseJsonBytes(world.remote.files.get(META_PATH)!.data) as RootMeta;
}

/** SYNC.md §6: lock mode, on servers without compare-and-swap, safe without agreeing clocks or fast rounds. */
describe('lock mode', () => {
  let world: World;
  beforeEach(() => (world = new World({ honoursConditions: false })));

  it('commits under a lock file on a server without compare-and-swap, and removes the lock', async () => {
    world = new World({ honoursConditions: false, revisions: 'none' });
    const a = await world.device('A', { mode: 'lock' });
    const b = await world.device('B', { mode: 'lock' });
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(b, 'task', 't1', () => ({ isDone: true }));
    await syncAll(b, a);
    expect(a.entity('task', 't1')!['isDone']).toBeTrue();
    expect(world.remote.files.has('lock.json')).toBeFalse();
  });

  it('waits for another device’s unexpired lock instead of writing over it', async () => {
    world = new World({ honoursConditions: false, revisions: 'none' });
    await world.remote.write('lock.json', jsonBytes({ owner: 'other', name: 'Phone', nonce: 'n', expiresAt: world.now + 30_000 }));
    const a = await world.device('A', { mode: 'lock' });
    await create(a, 'task', task('t1'));
    await expectAsync(a.sync()).toBeRejectedWith(jasmine.objectContaining({ code: 'remote-busy', message: jasmine.stringContaining('Phone') }));
    // Past the lock's own expiry, but A has not yet watched it for a whole lease on its own clock.
    world.later(31_000);
    await expectAsync(a.sync()).toBeRejectedWith(jasmine.objectContaining({ code: 'remote-busy' }));
    world.later(30_000);
    expect((await a.sync()).status).toBe('synced');
  });

    beforeEach(() => (world = new World({ honoursConditions: false, revisions: 'none' })));

    /** A store whose writes under `prefix` wait until `open()` is called: a round paused mid-way. */
    function gated(prefix: string) {
      let release!: () => void;
      let reached!: () => void;
      const open = new Promise<void>((resolve) => (release = resolve));
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      let armed = false;
      const store = overriding(world.remote, {
        write: async (path, data, options) => {
          if (armed && path.startsWith(prefix)) {
            armed = false;
            reached();
            await open;
          }
          return world.remote.write(path, data, options);
        },
      });
      return { store, atGate, arm: () => (armed = true), open: () => release() };
    }

    it('does not take a live lock because its own clock runs two minutes ahead', async () => {
      const gate = gated('deltas/');
      const a = await world.device('A', { mode: 'lock', store: gate.store });
      const b = await world.device('B', { mode: 'lock', now: () => world.now + 120_000 });
      await create(a, 'task', task('t1'));
      await syncAll(a, b);
      await edit(a, 'task', 't1', () => ({ title: 'from A' }));
      await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
      gate.arm();
      const aRound = a.sync();
      await gate.atGate;
      await expectAsync(b.sync()).toBeRejectedWith(jasmine.objectContaining({ code: 'remote-busy' }));
      gate.open();
      expect((await aRound).status).toBe('synced');
      await syncAll(a, b);
      for (const engine of [a, b]) expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'from A', notes: 'from B' }));
    });

    it('takes over a dead device’s lock one lease after first seeing it, though its clock said a year', async () => {
      await world.remote.write('lock.json', jsonBytes({ owner: 'ghost', name: 'Lost phone', nonce: 'n', expiresAt: world.now + 365 * 24 * 3600_000 }));
      const a = await world.device('A', { mode: 'lock' });
      await create(a, 'task', task('t1'));
      await expectAsync(a.sync()).toBeRejectedWith(jasmine.objectContaining({ code: 'remote-busy' }));
      world.later(61_000);
      expect((await a.sync()).status).toBe('synced');
    });

    it('never writes the root after its lease ran out mid-round: the next holder’s commit stays', async () => {
      const gate = gated('deltas/');
      const a = await world.device('A', { mode: 'lock', store: gate.store });
      const b = await world.device('B', { mode: 'lock' });
      await create(a, 'task', task('t1'));
      await syncAll(a, b);
      await edit(a, 'task', 't1', () => ({ title: 'from A' }));
      await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
      gate.arm();
      const aRound = a.sync();
      await gate.atGate;
      // A's laptop sleeps with the lock held; B waits out a whole lease of its own, then commits.
      await expectAsync(b.sync()).toBeRejectedWith(jasmine.objectContaining({ code: 'remote-busy' }));
      world.later(61_000);
      expect((await b.sync()).status).toBe('synced');
      const bDelta = root(world).deltas.at(-1)!.file;
      gate.open();
      expect((await aRound).status).toBe('synced');
      expect(root(world).deltas.map((delta) => delta.file)).toContain(bDelta);
      await syncAll(a, b);
      for (const engine of [a, b]) expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'from A', notes: 'from B' }));
    });

    it('answers one spurious 404 of meta.json with an error, not with a brand-new root', async () => {
      let spurious = false;
      const flaky = overriding(world.remote, {
        read: (path, options) => {
          if (spurious && path === META_PATH) {
            spurious = false;
            return Promise.resolve({ status: 'not-found' } as ReadResult);
          }
          return world.remote.read(path, options);
        },
      });
      const a = await world.device('A', { mode: 'lock', store: flaky });
      const b = await world.device('B', { mode: 'lock' });
      await create(a, 'task', task('t1'));
      await create(b, 'task', task('t2'));
      await syncAll(a, b);
      const before = world.remote.files.get(META_PATH)!.data;
      await edit(a, 'task', 't1', () => ({ title: 'edited' }));
      spurious = true;
      await expectAsync(a.sync()).toBeRejectedWith(jasmine.objectContaining({ code: 'server' }));
      expect(world.remote.files.get(META_PATH)!.data).toEqual(before);
      await syncAll(a, b);
      expect(Object.keys(root(world).devices).length).toBe(2);
      expect(b.entity('task', 't1')!['title']).toBe('edited');
    });

    it('keeps old files for a grace period on the deleting device’s own clock, though the compactor’s clock was hours behind', async () => {
      const a = await world.device('A', { mode: 'lock', compactAfterDeltas: 3, graceMs: 60_000, now: () => world.now - 2 * 3600_000 });
      const b = await world.device('B', { mode: 'lock', graceMs: 60_000 });
      await create(a, 'task', task('t1'));
      await a.sync();
      for (let i = 0; i < 3; i++) {
        await edit(a, 'task', 't1', () => ({ title: `v${i}` }));
        await a.sync();
      }
      const graves = root(world).graveyard.map((entry) => entry.file);
      expect(graves.length).toBeGreaterThan(0);
      await b.sync();
      await edit(b, 'task', 't1', () => ({ notes: 'b' }));
      await b.sync();
      for (const file of graves) expect(world.remote.files.has(file)).withContext(file).toBeTrue();
      world.later(61_000);
      await edit(b, 'task', 't1', () => ({ notes: 'b again' }));
      await b.sync();
      for (const file of graves) expect(world.remote.files.has(file)).withContext(file).toBeFalse();
    });

  it('never commits on an older copy of meta.json that a cache in front of the server answers with', async () => {
    world = new World({ honoursConditions: false, revisions: 'none' });
    let stale: ReadResult | null = null;
    let serveStale = false;
    const cached = overriding(world.remote, {
      read: async (path, options) => {
        if (path === META_PATH && serveStale && stale) {
          serveStale = false;
          return stale;
        }
        const result = await world.remote.read(path, options);
        if (path === META_PATH && result.status === 'ok' && !stale) stale = result;
        return result;
      },
    });
    const a = await world.device('A', { mode: 'lock', store: cached });
    const b = await world.device('B', { mode: 'lock' });
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    stale = null;
    await a.sync(); // the copy A keeps seeing from the cache: the root it holds now
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    await b.sync();
    await edit(a, 'task', 't1', () => ({ title: 'from A' }));
    await a.sync(); // A adopts B's root
    const bDelta = root(world).deltas.find((delta) => delta.replica === b.replica)!.file;
    await edit(a, 'task', 't1', () => ({ title: 'from A again' }));
    serveStale = true;
    expect((await a.sync()).status).toBe('synced');
    expect(root(world).deltas.map((delta) => delta.file)).toContain(bDelta);
  });
});
