import { parseJsonBytes } from '../remote/codec';
import { META_PATH, RootMeta } from '../remote/remote-format';
import { RemoteStore } from '../remote/remote-store';
import { SyncError } from '../sync-error';
import { World, create, edit, losingRootWrites, overriding, remove, syncAll, task } from '../testing/harness';

function root(world: World): RootMeta {
  return parseJsonBytes(world.remote.files.get(META_PATH)!.data) as RootMeta;
}

/** A store whose root writes wait while `hold` is set: the device's round stalls just before its commit. */
function stallingRoot(world: World): { store: RemoteStore; hold(): void; release(): void } {
  let held: Promise<void> | null = null;
  let release = () => undefined as void;
  return {
    store: overriding(world.remote, {
      write: async (path, data, options) => {
        if (path === META_PATH && held) await held;
        return world.remote.write(path, data, options);
      },
    }),
    hold: () => (held = new Promise<void>((resolve) => (release = resolve))),
    release: () => {
      held = null;
      release();
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * SYNC.md §6 on servers whose If-Match is not atomic: a commit a later root drops must still reach
 * every device when its writer is never seen again, and a writer whose upload is found that way
 * must not take itself for a restored copy.
 */
describe('commits no root names', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  it('keeps the writes of a compaction that a root written over it dropped, when its device is never seen again', async () => {
    const world = new World({ honoursConditions: false });
    const stall = stallingRoot(world);
    const a = await world.device('A', { compactAfterDeltas: 1 });
    const b = await world.device('B', { store: stall.store });
    const c = await world.device('C');
    await create(a, 'task', task('t1'));
    await syncAll(a, b, c);
    await edit(a, 'task', 't1', () => ({ title: 'from A, in a compaction' }));
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    stall.hold();
    const bRound = b.sync();
    await tick();
    expect((await a.sync()).compacted).toBeTrue();
    const aSnapshot = root(world).snapshot!.file;
    stall.release();
    await bRound;
    // B's root, built on the one before A's compaction, no longer names A's snapshot.
    expect(root(world).snapshot?.file).not.toBe(aSnapshot);
    world.later(11 * 60_000);
    await syncAll(b, c);
    for (const engine of [b, c]) expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'from A, in a compaction', notes: 'from B' }));
  });

  it('keeps a first upload that raced another device’s onto an empty folder, when its device is never seen again', async () => {
    const world = new World({ honoursConditions: false });
    const stall = stallingRoot(world);
    const a = await world.device('A');
    const b = await world.device('B', { store: stall.store });
    await create(a, 'task', task('from-a', { title: 'A’s task, reported as synced' }));
    await create(b, 'task', task('from-b'));
    stall.hold();
    const bRound = b.sync();
    await tick();
    expect((await a.sync()).status).toBe('synced');
    stall.release();
    await bRound;
    const c = await world.device('C');
    world.later(11 * 60_000);
    await syncAll(b, c);
    for (const engine of [b, c]) expect(engine.entity('task', 'from-a')).toEqual(jasmine.objectContaining({ title: 'A’s task, reported as synced' }));
  });

  it('does not take itself for a restored backup when another device found its unconfirmed upload: a delete since stays', async () => {
    const world = new World();
    let failDownloads = false;
    const losing = losingRootWrites(world.remote);
    const flaky = overriding(losing.store, {
      read: (path, options) => (failDownloads && path.startsWith('deltas/') ? Promise.reject(new SyncError('offline', 'the connection dropped')) : world.remote.read(path, options)),
    });
    const a = await world.device('A', { store: flaky });
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    // A uploads its delta, and the root write that would name it is lost.
    await create(a, 'task', task('t2', { title: 'uploaded, never named' }));
    losing.loseNext();
    await expectAsync(a.sync()).toBeRejected();
    // Its next round reads a root that does not name the upload either, and fails on a download.
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    await b.sync();
    failDownloads = true;
    await expectAsync(a.sync()).toBeRejected();
    failDownloads = false;
    // B lists deltas/, finds A's delta, merges it and carries it in a snapshot; then deletes the task.
    world.later(11 * 60_000);
    await b.sync();
    expect(b.entity('task', 't2')).toBeDefined();
    await remove(b, 'task', 't2');
    await b.sync({ confirmMassDelete: true });
    const replica = a.replica;
    await syncAll(a, b);
    expect(a.replica).toBe(replica);
    for (const engine of [a, b]) expect(engine.entity('task', 't2')).withContext(engine === a ? 'A' : 'B').toBeUndefined();
  });
  it('keeps a commit reported as synced when a root written over it drops it and its device is never seen again', async () => {
    world = new World({ honoursConditions: false });
    let holdRoot: Promise<void> | null = null;
    const slowRoot = overriding(world.remote, {
      write: async (path, data, options) => {
        if (path === META_PATH && holdRoot) await holdRoot;
        return world.remote.write(path, data, options);
      },
    });
    const a = await world.device('A');
    const b = await world.device('B', { store: slowRoot });
    const c = await world.device('C');
    await create(a, 'task', task('t1'));
    await syncAll(a, b, c);
    await edit(a, 'task', 't1', () => ({ title: 'from A, reported as synced' }));
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    let release!: () => void;
    holdRoot = new Promise((resolve) => (release = resolve));
    // B reads the root and uploads its delta, then its root write stalls; A commits meanwhile.
    const bRound = b.sync();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await a.sync()).status).toBe('synced');
    const aDelta = root(world).deltas.at(-1)!.file;
    release();
    holdRoot = null;
    await bRound;
    // B's root, built on the one before A's commit, no longer names A's delta.
    expect(root(world).deltas.map((delta) => delta.file)).not.toContain(aDelta);
    // A is lost with its phone. The others sync on, past the interval at which they list deltas/.
    world.later(11 * 60_000);
    await syncAll(b, c);
    for (const engine of [b, c]) expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'from A, reported as synced', notes: 'from B' }));
  
    // Merged, the file no root named is collected: into the graveyard, and deleted once the grace period is over.
    expect(root(world).graveyard.map((grave) => grave.file)).toContain(aDelta);
    expect(world.remote.files.has(aDelta)).toBeTrue();
    world.later(2 * 60 * 60_000);
    await edit(c, 'task', 't1', () => ({ notes: 'later' }));
    await syncAll(b, c);
    world.later(2 * 60 * 60_000);
    await edit(c, 'task', 't1', () => ({ notes: 'later still' }));
    await syncAll(b, c);
    expect(world.remote.files.has(aDelta)).toBeFalse();
    for (const engine of [b, c]) expect(engine.entity('task', 't1')!['title']).toBe('from A, reported as synced');
  });

  it('heals a root that names a delta the server answered 201 for but never stored: no device stays stuck', async () => {
    let dropNextDelta = false;
    const lossy = overriding(world.remote, {
      write: (path, data, options) => {
        if (dropNextDelta && path.startsWith('deltas/')) {
          dropNextDelta = false;
          return Promise.resolve({ revision: null });
        }
        return world.remote.write(path, data, options);
      },
    });
    const a = await world.device('A', { store: lossy });
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'from A' }));
    dropNextDelta = true;
    await a.sync();
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    await expectAsync(b.sync()).toBeResolved();
    for (const file of [...root(world).deltas.map((delta) => delta.file), root(world).snapshot?.file].filter(Boolean)) {
      expect(world.remote.files.has(file!)).withContext(file!).toBeTrue();
    }
    // A, which still remembers its commit, repairs it on its next sync; then B gets it.
    await syncAll(a, b);
    for (const engine of [a, b]) expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'from A', notes: 'from B' }));
  });
});
