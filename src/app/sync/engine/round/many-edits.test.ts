import { MemoryPersistence } from '../replica/memory-persistence';
import { World, create, edit, syncAll, tag, task } from '../testing/harness';

/** Many edits made before a sync: what they leave to persist and to send does not grow with their number. */
describe('many edits before a sync', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  it('keeps what 2,000 edits of one field leave to persist and to send as small as one edit leaves', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'v0' }));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'v1' }));
    const afterOne = persistence.snapshotSize();
    for (let i = 2; i <= 2_000; i++) await edit(a, 'task', 't1', () => ({ title: `v${i}` }));
    // The bookkeeping holds one entry per changed register, whatever the number of edits.
    expect(persistence.snapshotSize().book).toBeLessThan(afterOne.book + 64);
    const sent = (await a.sync()).bytesSent;
    expect(sent).toBeLessThan(4_000);
    await b.sync();
    expect(b.entity('task', 't1')!['title']).toBe('v2000');
    expect(b.conflicts()).toEqual([]);
  });

  it('keeps a removed tag membership removed when its removal goes up after the app was opened again', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'tag', tag('g1'));
    await create(a, 'task', task('t1', { tagIds: ['g1'] }));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ tagIds: [] }));
    // Opened again before it synced (a reload): the removal goes up under the new opening's id.
    const reopened = await world.device('A', { persistence });
    await syncAll(reopened, b);
    for (const engine of [reopened, b]) expect(engine.entity('task', 't1')!['tagIds']).withContext(engine === b ? 'B' : 'A').toEqual([]);
  });

  it('keeps a tag membership removed when a backup still holds it unsent and the removal went up after a reload', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'tag', tag('g1'));
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ tagIds: ['g1'] }));
    const backup = persistence.backup();
    await edit(a, 'task', 't1', () => ({ tagIds: [] }));
    const reopened = await world.device('A', { persistence });
    await syncAll(reopened, b);
    // The backup sends the membership it holds unsent: every device knows it was removed since.
    const copy = await world.device('A', { persistence: backup });
    await syncAll(copy, b, reopened);
    for (const engine of [reopened, b, copy]) expect(engine.entity('task', 't1')!['tagIds']).withContext(engine === b ? 'B' : engine === copy ? 'copy' : 'A').toEqual([]);
  });

  it('keeps the bookkeeping one size however many registers wait to be sent, and saves with each edit only the record it changed', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    for (let i = 0; i < 300; i++) await create(a, 'task', task(`t${i}`));
    await a.sync();
    await edit(a, 'task', 't0', () => ({ title: 'first' }));
    const afterOne = persistence.snapshotSize().book;
    for (let i = 1; i < 300; i++) await edit(a, 'task', `t${i}`, () => ({ title: `edited ${i}` }));
    expect(persistence.snapshotSize().book).toBeLessThan(afterOne + 64);
    const request = a.recordLocalChanges([{ type: 'task', id: 't5', entity: { ...a.entity('task', 't5')!, title: 'again', version: 9 } }]);
    expect(request.records.map((record) => record.id)).toEqual(['t5']);
  });

  it('sends the edits a state stored before unsent registers were kept with their records', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'v1' }));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'unsent' }));
    // The same state as an older version stored it: the unsent registers in the bookkeeping.
    const stored = (await persistence.load())!;
    const dirty = stored.records.flatMap((record) => (record.dirty ?? []).map(([register, replaced, gen]) => [`${record.type}:${record.id}`, register, replaced, gen] as [string, string, typeof replaced, number]));
    expect(dirty.length).toBeGreaterThan(0);
    const old = new MemoryPersistence();
    await old.save({ records: stored.records.map(({ dirty: _, ...record }) => record), book: { ...stored.book, dirty } });
    const reopened = await world.device('A', { persistence: old });
    expect(reopened.hasUnsyncedChanges()).toBeTrue();
    await syncAll(reopened, b);
    expect(b.entity('task', 't1')!['title']).toBe('unsent');
    // Its next save moved them to the records.
    expect((await old.load())!.book.dirty).toEqual([]);
  });
});

