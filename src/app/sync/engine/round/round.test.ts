import { jsonBytes, parseJsonBytes } from '../remote/codec';
import { MemoryPersistence } from '../replica/memory-persistence';
import { META_PATH, RootMeta } from '../remote/remote-format';
import { ReadOptions, ReadResult } from '../remote/remote-store';
import { SyncError } from '../sync-error';
import { World, create, edit, overriding, project, syncAll, task } from '../testing/harness';

function root(world: World): RootMeta {
  return parseJsonBytes(world.remote.files.get(META_PATH)!.data) as RootMeta;
}

/** SYNC.md §4: what one round does, in requests and files. */
describe('the sync round', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  it('commits one edit in two requests when its root ETag is still current', async () => {
    const a = await world.device('A');
    await create(a, 'task', task('t1'));
    await a.sync();
    await edit(a, 'task', 't1', () => ({ title: 'changed' }));
    const result = await a.sync();
    expect(result.requests).toBe(2);
    expect(result.sent.task).toBe(1);
    // Its own edit is not news to the device that made it.
    expect(result.received.task).toBe(0);
  });

  it('takes up the current meta.json again after a cache handed it an older copy it had not seen', async () => {
    let capture = false;
    let failDeltas = false;
    let serveCaptured = false;
    let captured: ReadResult | null = null;
    const cached = overriding(world.remote, {
      read: async (path, options) => {
        if (path === META_PATH && serveCaptured && captured) {
          serveCaptured = false;
          return captured;
        }
        if (failDeltas && path.startsWith('deltas/')) throw new SyncError('offline', 'the connection dropped');
        const result = await world.remote.read(path, options);
        if (path === META_PATH && capture && result.status === 'ok') captured = result;
        return result;
      },
    });
    const a = await world.device('A', { store: cached });
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    // A reads B's next root but fails on its delta: a root it read and never adopted.
    await edit(b, 'task', 't1', () => ({ notes: 'v2' }));
    await b.sync();
    capture = failDeltas = true;
    await expectAsync(a.sync()).toBeRejected();
    capture = failDeltas = false;
    await edit(b, 'task', 't1', () => ({ notes: 'v3' }));
    await b.sync();
    await a.sync();
    // The cache hands A that older root once; then the server's current one must be taken up again.
    serveCaptured = true;
    await a.sync();
    await expectAsync(a.sync()).toBeResolved();
    expect(a.entity('task', 't1')!['notes']).toBe('v3');
  });

  it('pulls another device’s edit in two requests', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'changed' }));
    await a.sync();
    const pulled = await b.sync();
    expect(pulled.requests).toBe(2);
    expect(pulled.received.task).toBe(1);
    expect(b.entity('task', 't1')!['title']).toBe('changed');
  });

  it('retries a commit that lost the race, and both devices’ changes land', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'from A' }));
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    const [ra, rb] = await Promise.all([a.sync(), b.sync()]);
    expect([ra.status, rb.status]).toEqual(['synced', 'synced']);
    await syncAll(a, b);
    for (const engine of [a, b]) expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'from A', notes: 'from B' }));
  });

  it('compacts many deltas into a snapshot and deletes the old files only after the grace period', async () => {
    const a = await world.device('A', { compactAfterDeltas: 3, graceMs: 60_000 });
    const b = await world.device('B', { compactAfterDeltas: 3, graceMs: 60_000 });
    await create(a, 'task', task('t1'));
    await a.sync();
    let compactedAt = -1;
    for (let i = 0; i < 3 && compactedAt < 0; i++) {
      await edit(a, 'task', 't1', () => ({ title: `v${i}` }));
      if ((await a.sync()).compacted) compactedAt = i;
    }
    expect(compactedAt).toBeGreaterThanOrEqual(0);
    const compacted = root(world);
    // What is left listed is the compaction's own writes as a delta (found, should the root be written over).
    expect(compacted.deltas.map((delta) => delta.seq)).toEqual([compacted.seq]);
    expect(compacted.snapshot).not.toBeNull();
    const graves = compacted.graveyard.map((entry) => entry.file);
    expect(graves.length).toBeGreaterThan(0);
    for (const file of graves) expect(world.remote.files.has(file)).toBeTrue();
    await b.sync();
    expect(b.entity('task', 't1')!['title']).toBe(`v${compactedAt}`);

    world.later(61_000);
    await edit(b, 'task', 't1', () => ({ title: 'after grace' }));
    await b.sync();
    for (const file of graves) expect(world.remote.files.has(file)).toBeFalse();
    await a.sync();
    expect(a.entity('task', 't1')!['title']).toBe('after grace');
  });

  it('reads the root again and starts over when a delta it names has just been compacted away', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'v1' }));
    await a.sync();
    // B reads the root; before it fetches the delta, another device compacts and the delta disappears.
    const deltaFile = root(world).deltas[0].file;
    const racing = overriding(world.remote, {
      read: async (path: string, options?: ReadOptions): Promise<ReadResult> => {
        if (path === deltaFile && world.remote.files.has(deltaFile)) {
          const compactor = await world.device('C', { compactAfterDeltas: 1 });
          await compactor.sync();
          await edit(compactor, 'task', 't1', () => ({ title: 'v2' }));
          expect((await compactor.sync()).compacted).toBeTrue();
          world.remote.files.delete(deltaFile);
          return { status: 'not-found' };
        }
        return world.remote.read(path, options);
      },
    });
    const bRacing = await world.device('B', { store: racing });
    const result = await bRacing.sync();
    expect(result.status).toBe('synced');
    expect(bRacing.entity('task', 't1')!['title']).toBe('v2');
  });

  it('downloads at most the configured number of files at once', async () => {
    const a = await world.device('A', { compactAfterDeltas: 100 });
    await create(a, 'task', task('t1'));
    await a.sync();
    for (let i = 0; i < 12; i++) {
      await edit(a, 'task', 't1', () => ({ title: `v${i}` }));
      await a.sync();
    }
    let inFlight = 0;
    let most = 0;
    const counting = overriding(world.remote, {
      read: async (path, options) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return world.remote.read(path, options);
      },
    });
    const fresh = await world.device('Fresh', { store: counting, maxParallel: 3 });
    const result = await fresh.sync();
    expect(result.requests).toBe(1 + 1 + 12);
    expect(most).toBe(3);
    expect(fresh.entity('task', 't1')!['title']).toBe('v11');
  });

  it('migrates a folder that holds only the old whole-file main.json, and leaves main.json untouched', async () => {
    const legacy = jsonBytes({
      data: {
        project: { ids: ['p'], entities: { p: project('p', { taskIds: ['t1'] }) } },
        task: { ids: ['t1'], entities: { t1: task('t1', { title: 'From the old sync', projectId: 'p' }) } },
      },
    });
    await world.remote.write('main.json', legacy);
    const a = await world.device('A');
    const b = await world.device('B');
    await create(b, 'task', task('local', { title: 'made on B' }));
    await Promise.all([a.sync(), b.sync()]);
    await syncAll(a, b);
    for (const engine of [a, b]) {
      expect(engine.entity('task', 't1')!['title']).toBe('From the old sync');
      expect(engine.entity('project', 'p')!['taskIds']).toEqual(['t1']);
      expect(engine.entity('task', 'local')!['title']).toBe('made on B');
      expect(engine.conflicts()).toEqual([]);
    }
    expect(world.remote.files.get('main.json')!.data).toEqual(legacy);
  });

  it('previews what the next round would receive and send without writing anything', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'renamed' }));
    await a.sync();
    await create(b, 'task', task('t2', { title: 'new on B' }));
    const files = [...world.remote.files.entries()].map(([path, file]) => `${path}@${file.revision}`);
    const preview = await b.dryRun();
    expect(preview.receive).toEqual([{ type: 'task', id: 't1', title: 'renamed', change: 'update', fields: ['title'] }]);
    expect(preview.send).toEqual([jasmine.objectContaining({ type: 'task', id: 't2', title: 'new on B', change: 'create' })]);
    expect([...world.remote.files.entries()].map(([path, file]) => `${path}@${file.revision}`)).toEqual(files);
    expect(b.entity('task', 't1')!['title']).toBe('t1');
  });

  it('reports what moved in numbers', async () => {
    const a = await world.device('A');
    await create(a, 'project', project('p'));
    await create(a, 'task', task('t1', { projectId: 'p' }));
    await create(a, 'task', task('t2', { projectId: 'p' }));
    const result = await a.sync();
    expect(result.sent).toEqual({ task: 2, project: 1, tag: 0, metric: 0 });
    expect(result.bytesSent).toBeGreaterThan(0);
    // meta.json (absent), main.json (no old whole-file sync to migrate), the data as one delta, meta.json.
    expect(result.requests).toBe(4);
  });

  it('survives a restart between uploading a delta and hearing that its commit succeeded', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    await create(a, 'task', task('t1'));
    await a.sync();
    await edit(a, 'task', 't1', () => ({ title: 'sent once' }));
    const flaky = overriding(world.remote, {
      write: async (path, data, options) => {
        const written = await world.remote.write(path, data, options);
        if (path === META_PATH) throw new Error('connection reset');
        return written;
      },
    });
    const crashing = await world.device('A', { persistence, store: flaky });
    await expectAsync(crashing.sync()).toBeRejected();
    const restarted = await world.device('A', { persistence });
    const deltasBefore = root(world).deltas.length;
    const result = await restarted.sync();
    expect(result.bytesSent).toBe(0);
    expect(restarted.hasUnsyncedChanges()).toBeFalse();
    expect(root(world).deltas.length).toBe(deltasBefore);
  });

  it('never commits over a newer root it read but did not adopt (a download failed in between)', async () => {
    // A server that ignores If-Match, which the devices believe compares and swaps (nephele and
    // Apache do this under concurrency): only the engine's own bookkeeping keeps the root safe.
    world = new World({ honoursConditions: false });
    let failNextDeltaRead = false;
    const flaky = overriding(world.remote, {
      read: (path: string, options?: ReadOptions): Promise<ReadResult> => {
        if (failNextDeltaRead && path.startsWith('deltas/')) {
          failNextDeltaRead = false;
          return Promise.reject(new Error('connection reset'));
        }
        return world.remote.read(path, options);
      },
    });
    const a = await world.device('A', { store: flaky });
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    await b.sync();
    const seqWithB = root(world).seq;
    const bDelta = root(world).deltas.at(-1)!.file;

    // Long enough that A reads the root instead of committing optimistically on its cached one.
    world.later(16 * 60_000);
    await edit(a, 'task', 't1', () => ({ title: 'from A' }));
    failNextDeltaRead = true;
    await expectAsync(a.sync()).toBeRejected();
    await a.sync();

    expect(root(world).seq).toBe(seqWithB + 1);
    expect(root(world).deltas.map((delta) => delta.file)).toContain(bDelta);
    expect(a.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'from A', notes: 'from B' }));
  });

});
