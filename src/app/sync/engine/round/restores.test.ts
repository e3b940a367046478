import { MemoryPersistence } from '../replica/memory-persistence';
import { SyncEngine } from '../sync-engine';
import { World, create, droppingDeltas, edit, losingRootWrites, overriding, remove, syncAll, task } from '../testing/harness';

/** A profile restored from a backup is a second copy of one replica: its new writes must never reuse the original's counters. */
describe('restored copies', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  /** v2 replaces what the task's title held, and the server answers for its file and never stores it; v3 then replaces v2. */
  async function editDroppedThenAgain(a: SyncEngine, dropNext: () => void): Promise<void> {
    await edit(a, 'task', 't1', () => ({ title: 'v2' }));
    dropNext();
    await a.sync();
    await edit(a, 'task', 't1', () => ({ title: 'v3' }));
    await a.sync();
  }

  function expectV3WithoutConflicts(b: SyncEngine, copy: SyncEngine): void {
    for (const engine of [b, copy]) {
      expect(engine.entity('task', 't1')!['title']).withContext(engine === b ? 'B' : 'copy').toBe('v3');
      expect(engine.conflicts()).withContext(engine === b ? 'B' : 'copy').toEqual([]);
    }
  }

  it('takes a new id when the original left an upload no root names, so its edits do not collide with it', async () => {
    const { store: flaky, loseNext: loseRootWrite } = losingRootWrites(world.remote);
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { store: flaky, persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    const backup = persistence.backup();
    // The original edits and uploads, and the root write that would name the upload is lost.
    await edit(a, 'task', 't1', () => ({ notes: 'the original’s, never named' }));
    loseRootWrite();
    await expectAsync(a.sync()).toBeRejected();
    // The profile is restored from the backup; the copy edits under the counters the upload used.
    const copy = await world.device('A', { store: flaky, persistence: backup });
    await edit(copy, 'task', 't1', () => ({ title: 'the copy’s' }));
    await copy.sync();
    expect(copy.replica).not.toBe(a.replica);
    world.later(11 * 60_000);
    await syncAll(b, copy);
    for (const engine of [b, copy]) expect(engine.entity('task', 't1')).withContext(engine === b ? 'B' : 'copy').toEqual(jasmine.objectContaining({ title: 'the copy’s', notes: 'the original’s, never named' }));
  });

  it('takes a new id when the original uploaded before any root existed', async () => {
    const { store: flaky, loseNext: loseRootWrite } = losingRootWrites(world.remote);
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { store: flaky, persistence });
    await create(a, 'task', task('t1'));
    const backup = persistence.backup();
    await edit(a, 'task', 't1', () => ({ notes: 'the original’s' }));
    loseRootWrite();
    await expectAsync(a.sync()).toBeRejected();
    const copy = await world.device('A', { store: flaky, persistence: backup });
    await edit(copy, 'task', 't1', () => ({ title: 'the copy’s' }));
    await copy.sync();
    expect(copy.replica).not.toBe(a.replica);
    const b = await world.device('B');
    await syncAll(copy, b);
    for (const engine of [b, copy]) expect(engine.entity('task', 't1')).withContext(engine === b ? 'B' : 'copy').toEqual(jasmine.objectContaining({ title: 'the copy’s', notes: 'the original’s' }));
  });

  it('does not bring back a task deleted since, when the backup was taken in an opening that had not synced yet', async () => {
    const persistence = new MemoryPersistence();
    const first = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(first, 'task', task('t1'));
    await syncAll(first, b);
    // The app is opened again and used offline: the backup holds a create no round has read a root since.
    const a = await world.device('A', { persistence });
    await create(a, 'task', task('t2', { title: 'created offline' }));
    const backup = persistence.backup();
    await a.sync();
    await b.sync();
    await remove(b, 'task', 't2');
    await b.sync();
    const copy = await world.device('A', { persistence: backup });
    await syncAll(copy, b, copy);
    for (const engine of [copy, b]) {
      expect(engine.entity('task', 't2')).withContext(engine === b ? 'B' : 'copy').toBeUndefined();
      expect(engine.entity('task', 't1')).withContext(engine === b ? 'B' : 'copy').not.toBeNull();
    }
  });

  it('keeps both copies of a copied profile apart while both go on editing, and lists the device once', async () => {
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    const copy = await world.device('A', { persistence: persistence.backup() });
    // The same counters are free in both copies: each opening writes under an id of its own.
    await edit(a, 'task', 't1', () => ({ title: 'the original’s' }));
    await edit(copy, 'task', 't1', () => ({ notes: 'the copy’s' }));
    await create(copy, 'task', task('t2', { title: 'new on the copy' }));
    await syncAll(a, copy, b, a);
    expect(copy.replica).not.toBe(a.replica);
    for (const engine of [a, copy, b]) {
      expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'the original’s', notes: 'the copy’s' }));
      expect(engine.entity('task', 't2')).toEqual(jasmine.objectContaining({ title: 'new on the copy' }));
      expect(engine.conflicts()).toEqual([]);
    }
    expect(b.devices().map((device) => device.name)).toEqual(['A']);
  });

  it('delivers the writes a state held when it was opened again, when the compaction carrying them lost its root write', async () => {
    const { store: flaky, loseNext: loseRootWrite } = losingRootWrites(world.remote);
    const persistence = new MemoryPersistence();
    const first = await world.device('A', { store: flaky, persistence, compactAfterDeltas: 2 });
    const b = await world.device('B');
    await create(first, 'task', task('t1'));
    await first.sync();
    await edit(first, 'task', 't1', () => ({ notes: 'written before the app was opened again' }));
    // Opened again: the unsent write is under the earlier opening's id, and the next commit compacts.
    const a = await world.device('A', { store: flaky, persistence, compactAfterDeltas: 2 });
    loseRootWrite();
    await expectAsync(a.sync()).toBeRejected();
    await syncAll(a, b);
    for (const engine of [a, b]) expect(engine.entity('task', 't1')).withContext(engine === b ? 'B' : 'A').toEqual(jasmine.objectContaining({ notes: 'written before the app was opened again' }));
  });

  it('keeps an edit replaced when the file of the edit between them was dropped by the server and its writer was restored', async () => {
    const { store: lossy, dropNext } = droppingDeltas(world.remote);
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { store: lossy, persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'v1' }));
    await syncAll(a, b);
    const backup = persistence.backup();
    // v2 replaces v1; the server answers for its file and never stores it. v3 then replaces v2.
    await editDroppedThenAgain(a, dropNext);
    // The only device that knew v2 had replaced v1 is restored from a backup and forgets it.
    const copy = await world.device('A', { store: lossy, persistence: backup });
    await syncAll(b, copy, b, copy);
    expectV3WithoutConflicts(b, copy);
  });

  it('keeps a value replaced when a backup still holds it unsent and the file that replaced it was dropped by the server', async () => {
    const { store: lossy, dropNext } = droppingDeltas(world.remote);
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { store: lossy, persistence });
    const b = await world.device('B');
    await create(b, 'task', task('t1', { title: 'from B' }));
    await syncAll(b, a);
    await edit(a, 'task', 't1', () => ({ title: 'v1' }));
    // The backup holds v1 unsent. v2 replaces it and its file is dropped; v3 replaces v2.
    const backup = persistence.backup();
    await editDroppedThenAgain(a, dropNext);
    // Restored, the device sends v1 again: every device knows A's v3 came after it.
    const copy = await world.device('A', { store: lossy, persistence: backup });
    await syncAll(copy, b, copy, b);
    expectV3WithoutConflicts(b, copy);
  });

  it('keeps another device\'s value replaced when the file of the edit that replaced it was dropped by the server and its writer was restored', async () => {
    const { store: lossy, dropNext } = droppingDeltas(world.remote);
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { store: lossy, persistence });
    const b = await world.device('B');
    await create(b, 'task', task('t1', { title: 'from B' }));
    await syncAll(b, a);
    const backup = persistence.backup();
    // A's v2 replaces B's value; the server answers for its file and never stores it. A's v3 then replaces v2.
    await editDroppedThenAgain(a, dropNext);
    // The only device that knew v2 had replaced B's value is restored from a backup and forgets it:
    // v3's file alone must say that B's value is replaced.
    const copy = await world.device('A', { store: lossy, persistence: backup });
    await syncAll(b, copy, b, copy);
    expectV3WithoutConflicts(b, copy);
  });

  it('keeps apart the writes of a copy restored from a backup of a copy', async () => {
    const first = new MemoryPersistence();
    const a = await world.device('A', { persistence: first });
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    const backup1 = first.backup();
    await edit(a, 'task', 't1', () => ({ notes: 'original' }));
    await a.sync();
    // Restored once: the copy takes a new id on its first sync.
    const copy = await world.device('A', { persistence: backup1 });
    await copy.sync();
    const backup2 = backup1.backup();
    await edit(copy, 'task', 't1', () => ({ title: 'first copy' }));
    await copy.sync();
    // Restored again, from a backup of the copy: its next writes must not reuse the first copy's counters.
    const again = await world.device('A', { persistence: backup2 });
    await edit(again, 'task', 't1', () => ({ isDone: true }));
    await syncAll(again, b);
    for (const engine of [again, b]) expect(engine.entity('task', 't1')).withContext(engine === b ? 'B' : 'copy').toEqual(jasmine.objectContaining({ title: 'first copy', notes: 'original', isDone: true }));
  });
  it('delivers the data of a device restored from a backup taken before its upload, which the server had answered for and dropped', async () => {
    let dropDeltas = false;
    const lossy = overriding(world.remote, {
      write: (path, data, options) => (dropDeltas && path.startsWith('deltas/') ? Promise.resolve({ revision: null }) : world.remote.write(path, data, options)),
    });
    const persistence = new MemoryPersistence();
    const a = await world.device('A', { store: lossy, persistence });
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'only on A' }));
    const backup = persistence.backup();
    dropDeltas = true;
    await a.sync();
    dropDeltas = false;
    // B finds the named delta missing under the same root twice and heals the root without it.
    await b.sync();
    // A's profile is restored from the backup: its writes are again unsent, under its old id.
    const restored = await world.device('A', { store: lossy, persistence: backup });
    await syncAll(restored, b);
    expect(b.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'only on A' }));
  });
});
