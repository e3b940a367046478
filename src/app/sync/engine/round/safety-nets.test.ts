import { gzip, jsonBytes, parseJsonBytes } from '../remote/codec';
import { MemoryPersistence } from '../replica/memory-persistence';
import { META_PATH, RootMeta } from '../remote/remote-format';
import { isSyncError } from '../sync-error';
import { World, create, edit, overriding, project, remove, syncAll, tag, task } from '../testing/harness';

/** SYNC.md §1.7 and the remote format's guards. */
describe('safety nets', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  it('asks before a sync that would delete more than half of the entities, and applies nothing until confirmed', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    for (let i = 0; i < 20; i++) await create(a, 'task', task(`t${i}`));
    await syncAll(a, b);
    for (let i = 0; i < 15; i++) await remove(a, 'task', `t${i}`);
    const held = await a.sync();
    expect(held.status).toBe('needs-confirmation');
    expect(held.massDelete).toEqual({ incoming: 0, outgoing: 15, entities: 5 });
    expect(held.bytesSent).toBe(0);
    await b.sync();
    expect(b.entities('task').length).toBe(20);

    expect((await a.sync({ confirmMassDelete: true })).status).toBe('synced');
    const incoming = await b.sync();
    expect(incoming.status).toBe('needs-confirmation');
    expect(incoming.massDelete).toEqual({ incoming: 15, outgoing: 0, entities: 20 });
    expect(b.entities('task').length).toBe(20);
    await b.sync({ confirmMassDelete: true });
    expect(b.entities('task').length).toBe(5);
  });

  it('asks before deleting more than 100 entities even when that is less than half', async () => {
    const a = await world.device('A');
    const batch = Array.from({ length: 250 }, (_, i) => ({ type: 'task' as const, id: `t${i}`, entity: task(`t${i}`) }));
    await a.applyLocalChanges(batch);
    await a.sync();
    await a.applyLocalChanges(batch.slice(0, 101).map((change) => ({ ...change, entity: null })));
    expect((await a.sync()).status).toBe('needs-confirmation');
  });

  it('lets a freshly installed empty device receive everything without changing the remote', async () => {
    const a = await world.device('A');
    await create(a, 'project', project('p', { taskIds: ['t1'] }));
    await create(a, 'task', task('t1', { projectId: 'p' }));
    await a.sync();
    const before = [...world.remote.files.keys()].sort();
    const meta = world.remote.files.get(META_PATH)!.revision;
    const fresh = await world.device('New');
    const result = await fresh.sync();
    expect(result.received).toEqual({ task: 1, project: 1, tag: 0, metric: 0 });
    expect(result.bytesSent).toBe(0);
    expect([...world.remote.files.keys()].sort()).toEqual(before);
    expect(world.remote.files.get(META_PATH)!.revision).toBe(meta);
  });

  it('keeps a delete of a task that a restored backup still held as an unsynced create', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t0'));
    await syncAll(a, b);
    await create(a, 'task', task('t1', { title: 'made before the backup' }));
    const backup = persistence.backup();
    world.later();
    await a.sync();
    await b.sync();
    await remove(b, 'task', 't1');
    await b.sync();
    const restored = await world.device('A', { persistence: backup });
    world.later();
    await syncAll(restored, b);
    for (const engine of [restored, b]) expect(engine.entity('task', 't1')).withContext(engine.replica).toBeUndefined();
    expect(restored.conflicts()).toEqual([]);
  });

  it('keeps a tag membership removed elsewhere removed after a restore from a backup that still held it unsynced', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'tag', tag('g1'));
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ tagIds: ['g1'] }));
    const backup = persistence.backup();
    world.later();
    await a.sync();
    await b.sync();
    await edit(b, 'task', 't1', () => ({ tagIds: [] }));
    await b.sync();
    const restored = await world.device('A', { persistence: backup });
    world.later();
    await syncAll(restored, b);
    for (const engine of [restored, b]) expect(engine.entity('task', 't1')!['tagIds']).withContext(engine.replica).toEqual([]);
  });

  it('persists the new id of a restored copy at once: a round failing after it, an edit and a crash leave every device agreeing', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'v1' }));
    await syncAll(a, b);
    const backup = persistence.backup();
    world.later();
    await edit(a, 'task', 't1', () => ({ title: 'v2 after the backup' }));
    await a.sync();
    // The restored copy edits offline before its first round, so it has values above its last commit.
    let failDeltaRead = true;
    const flaky = overriding(world.remote, {
      read: (path, options) => {
        if (failDeltaRead && path.startsWith('deltas/')) {
          failDeltaRead = false;
          return Promise.reject(new Error('connection reset'));
        }
        return world.remote.read(path, options);
      },
    });
    const restored = await world.device('A', { persistence: backup, store: flaky });
    world.later();
    await edit(restored, 'task', 't1', () => ({ notes: 'written on the restored copy' }));
    await expectAsync(restored.sync()).toBeRejected();
    await create(restored, 'task', task('t2', { title: 'after the failed round' }));
    // The app crashes; it opens again from what was saved.
    const reopened = await world.device('A', { persistence: backup });
    world.later();
    await syncAll(reopened, b);
    await syncAll(reopened, b);
    for (const type of ['task'] as const) expect(JSON.stringify(reopened.entities(type))).toBe(JSON.stringify(b.entities(type)));
    expect(b.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'v2 after the backup', notes: 'written on the restored copy' }));
    expect(b.entity('task', 't2')!['title']).toBe('after the failed round');
  });

  it('takes in app data the sync never held as the old data it is: a newer remote value wins and a remote delete stays', async () => {
    const a = await world.device('A');
    const createdAt = world.now;
    await create(a, 'task', task('t1', { title: 'v1', lastModifiedAt: createdAt }));
    await create(a, 'task', task('t2', { title: 'deleted later', lastModifiedAt: createdAt }));
    await a.sync();
    world.later(60_000);
    await edit(a, 'task', 't1', () => ({ title: 'v2' }));
    await remove(a, 'task', 't2');
    await a.sync();
    // B holds what A had at first, from before sync was set up on it (or its sync stores were lost).
    world.later(60_000);
    const b = await world.device('B');
    await b.persist(
      b.adoptUntracked([
        { type: 'task', id: 't1', entity: task('t1', { title: 'v1', lastModifiedAt: createdAt }) },
        { type: 'task', id: 't2', entity: task('t2', { title: 'deleted later', lastModifiedAt: createdAt }) },
      ]),
    );
    await syncAll(b, a);
    for (const engine of [a, b]) {
      expect(engine.entity('task', 't1')!['title']).withContext(engine.replica).toBe('v2');
      expect(engine.entity('task', 't2')).withContext(engine.replica).toBeUndefined();
    }
  });

  it('never lets a device restored from an old backup overwrite newer data', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'v1' }));
    await a.sync();
    const backup = persistence.backup();
    world.later();
    await edit(a, 'task', 't1', () => ({ title: 'v2' }));
    await create(a, 'task', task('t2', { title: 'made after the backup' }));
    await a.sync();
    // The user restores the old profile, keeps working offline, then syncs.
    const restored = await world.device('A', { persistence: backup });
    world.later();
    await edit(restored, 'task', 't1', () => ({ notes: 'edited on the restored copy' }));
    await syncAll(restored, b);
    for (const engine of [restored, b]) {
      expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'v2', notes: 'edited on the restored copy' }));
      expect(engine.entity('task', 't2')!['title']).toBe('made after the backup');
    }
    expect(restored.replica).not.toBe(a.replica);
  });

  it('refuses a remote written by a newer format and leaves it untouched', async () => {
    const newer = jsonBytes({ format: 'super-sync/meta', formatVersion: 99, seq: 1, commitId: 'x', snapshot: null, deltas: [], devices: {}, graveyard: [] });
    await world.remote.write(META_PATH, newer);
    const a = await world.device('A');
    await create(a, 'task', task('t1'));
    const error = await a.sync().then(() => null, (e: unknown) => e);
    expect(isSyncError(error, 'format-too-new')).toBeTrue();
    expect((error as Error).message).toContain('newer version of this app');
    expect(world.remote.files.get(META_PATH)!.data).toEqual(newer);
    expect(world.remote.files.size).toBe(1);
  });

  it('stops on a garbled delta, applies nothing, and recovers once the remote is sound', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'new title' }));
    await a.sync();
    const file = (parseJsonBytes(world.remote.files.get(META_PATH)!.data) as RootMeta).deltas.at(-1)!.file;
    const good = world.remote.files.get(file)!.data;
    await world.remote.write(file, good.slice(0, good.length - 12));
    const error = await b.sync().then(() => null, (e: unknown) => e);
    expect(isSyncError(error, 'invalid-remote-data')).toBeTrue();
    expect(b.entity('task', 't1')!['title']).toBe('t1');
    await world.remote.write(file, good);
    await b.sync();
    expect(b.entity('task', 't1')!['title']).toBe('new title');
  });

  it('rejects a delta that names another device than meta.json says (meta.json may be torn), and recovers', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'x' }));
    await a.sync();
    const file = (parseJsonBytes(world.remote.files.get(META_PATH)!.data) as RootMeta).deltas.at(-1)!.file;
    await world.remote.write(file, await gzip(jsonBytes({ format: 'super-sync/delta', formatVersion: 1, replica: 'intruder', createdAt: 0, dots: [[1, 1]], entities: [] })));
    const error = await b.sync().then(() => null, (e: unknown) => e);
    expect(isSyncError(error, 'invalid-remote-data')).toBeTrue();
    expect(b.entity('task', 't1')!['title']).toBe('t1');
  });
});
