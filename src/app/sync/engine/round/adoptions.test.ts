import { META_PATH } from '../remote/remote-format';
import { RemoteStore } from '../remote/remote-store';
import { isSyncError, SyncError } from '../sync-error';
import { World, create, overriding, remove, syncAll, task } from '../testing/harness';

/**
 * An attempt adopts its merge (persisted, in the view) before it commits, and the commit can still
 * make the round start over: what the round reports covers every attempt.
 */
describe('what a round adopted', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  /** A's store: before its first meta.json write, `meanwhile` runs (another device commits first). */
  function racedAtFirstCommit(meanwhile: () => Promise<void>): RemoteStore {
    let raced = false;
    return overriding(world.remote, {
      write: async (path, data, options) => {
        if (path === META_PATH && !raced) {
          raced = true;
          await meanwhile();
        }
        return world.remote.write(path, data, options);
      },
    });
  }

  it('a round whose first attempt adopted and then lost the commit race reports what both attempts brought', async () => {
    const b = await world.device('B');
    const c = await world.device('C');
    await create(b, 'task', task('seed'));
    await syncAll(b, c);
    await create(b, 'task', task('from-b'));
    await b.sync();
    const a = await world.device('A', { store: racedAtFirstCommit(async () => {
      await create(c, 'task', task('from-c'));
      await c.sync();
    }) });
    await create(a, 'task', task('from-a'));
    world.later(3_600_000);

    const result = await a.sync();
    expect(result.status).toBe('synced');
    const upserted = result.changes.upserted.map(({ entity }) => entity.id).sort();
    expect(upserted).toEqual(jasmine.arrayContaining(['from-b', 'from-c', 'seed']));
    expect(result.received.task).toBe(3);
    expect(a.entities('task').map(({ id }) => id).sort()).toEqual(['from-a', 'from-b', 'from-c', 'seed']);
  });

  it('counts the deletes of every attempt of a round against what it began with: deletes that reach it in two attempts are asked about', async () => {
    const b = await world.device('B');
    const c = await world.device('C');
    for (let i = 0; i < 21; i++) await create(b, 'task', task(`t${i}`));
    await syncAll(b, c);
    // While A commits its own edit, C deletes 6 more: A's one round meets 8 + 6 deletes of 22 entities.
    const a = await world.device('A', {
      store: racedAtFirstCommit(async () => {
        await c.sync();
        for (let i = 8; i < 14; i++) await remove(c, 'task', `t${i}`);
        await c.sync();
      }),
    });
    await a.sync();
    for (let i = 0; i < 8; i++) await remove(b, 'task', `t${i}`);
    await b.sync();
    await create(a, 'task', task('mine'));
    world.later(3_600_000);

    const held = await a.sync();
    expect(held.status).toBe('needs-confirmation');
    expect(held.massDelete).toEqual({ incoming: 14, outgoing: 0, entities: 22 });
    // The 8 its first attempt applied are reported; the other 6 wait for the person's answer.
    expect(held.changes.removed.length).toBe(8);
    expect(a.entities('task').length).toBe(14);
    await a.sync({ confirmMassDelete: true });
    expect(a.entities('task').length).toBe(8);
  });

  it('a round that fails after adopting tells the app what it adopted, with the error', async () => {
    const b = await world.device('B');
    await create(b, 'task', task('from-b'));
    await b.sync();
    let failUploads = true;
    const a = await world.device('A', {
      store: overriding(world.remote, {
        write: async (path, data, options) => {
          if (failUploads && path.startsWith('deltas/')) throw new SyncError('offline', 'The network went away.');
          return world.remote.write(path, data, options);
        },
      }),
    });
    await create(a, 'task', task('from-a'));
    const failure = await a.sync().then(
      () => null,
      (error: unknown) => error,
    );
    expect(isSyncError(failure, 'offline')).toBe(true);
    expect((failure as SyncError).adopted?.upserted.map(({ entity }) => entity.id)).toContain('from-b');
    failUploads = false;
    expect((await a.sync()).status).toBe('synced');
  });
});
