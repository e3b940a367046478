import { RemoteStore } from '../remote/remote-store';
import { World, create, edit, overriding, syncAll, task } from '../testing/harness';

describe('two devices through one remote', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  it('carries a task created on one device to the other', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'Buy milk' }));
    expect((await a.sync()).status).toBe('synced');
    const pulled = await b.sync();
    expect(pulled.received.task).toBe(1);
    expect(b.entity('task', 't1')?.['title']).toBe('Buy milk');
  });

  it('keeps the losing title of a concurrent edit as a conflict that either device can restore', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1'));
    await syncAll(a, b);
    world.later();
    await edit(a, 'task', 't1', () => ({ title: 'From A' }));
    world.later();
    await edit(b, 'task', 't1', () => ({ title: 'From B' }));
    await syncAll(a, b);
    expect(a.entity('task', 't1')?.['title']).toBe('From B');
    expect(b.entity('task', 't1')?.['title']).toBe('From B');
    const [conflict] = a.conflicts();
    expect(conflict.field).toBe('title');
    expect(conflict.shown.value).toBe('From B');
    expect(conflict.others.map((other) => other.value)).toEqual(['From A']);
    await a.resolveConflict('task', 't1', 'title', conflict.others[0].stamp);
    await syncAll(a, b);
    expect(b.entity('task', 't1')?.['title']).toBe('From A');
    expect(a.conflicts()).toEqual([]);
    expect(b.conflicts()).toEqual([]);
  });

  it('an edit the app made on a copy older than the merged one keeps the merged fields it did not change, and says what to show', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'Draft' }));
    await syncAll(a, b);
    const old = a.entity('task', 't1')!;
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    await syncAll(b, a);
    // The app still showed `old` when the person renamed the task.
    const request = a.recordLocalChanges([{ type: 'task', id: 't1', entity: { ...old, title: 'Final' }, before: old }]);
    await a.persist(request);
    expect(a.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'Final', notes: 'from B' }));
    expect(request.view?.upserted.map(({ entity }) => [entity['title'], entity['notes']])).toEqual([['Final', 'from B']]);
    await syncAll(a, b);
    expect(b.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'Final', notes: 'from B' }));
  });

  it('keeps showing what the records give when the app sends a copy that changes nothing but carries an older version', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'Draft' }));
    await syncAll(a, b);
    await edit(b, 'task', 't1', () => ({ notes: 'from B' }));
    await syncAll(b, a);
    // The app saves the task again with every field as shown but an older version (a copy of its own).
    await a.applyLocalChanges([{ type: 'task', id: 't1', entity: { ...a.entity('task', 't1')!, version: 1 } }]);
    await a.sync();
    expect(a.entity('task', 't1')).toEqual(jasmine.objectContaining({ notes: 'from B', version: 2 }));
    expect(a.entity('task', 't1')).toEqual(b.entity('task', 't1'));
  });

  it('a device that connects to another remote and back syncs with each, its data reaching both', async () => {
    const other = new World();
    let target: RemoteStore = world.remote;
    const switching: RemoteStore = overriding(world.remote, {
      read: (path, options) => target.read(path, options),
      write: (path, data, options) => target.write(path, data, options),
      delete: (path) => target.delete(path),
      list: (folder) => target.list(folder),
    });
    const a = await world.device('A', { store: switching });
    a.configure({ remote: 'first' });
    await create(a, 'task', task('t1', { title: 'Written on the first remote' }));
    expect((await a.sync()).status).toBe('synced');

    target = other.remote;
    a.configure({ remote: 'second' });
    await create(a, 'task', task('t2', { title: 'Written on the second remote' }));
    expect((await a.sync()).status).toBe('synced');
    const onSecond = await other.device('B');
    await onSecond.sync();
    expect(onSecond.entities('task').map((t) => t['title']).sort()).toEqual(['Written on the first remote', 'Written on the second remote']);

    target = world.remote;
    a.configure({ remote: 'first' });
    expect((await a.sync()).status).toBe('synced');
    const onFirst = await world.device('C');
    await onFirst.sync();
    expect(onFirst.entities('task').map((t) => t['title']).sort()).toEqual(['Written on the first remote', 'Written on the second remote']);
  });

  it('answers a round with nothing new with one conditional request and no body', async () => {
    const a = await world.device('A');
    await create(a, 'task', task('t1'));
    await a.sync();
    const idle = await a.sync();
    expect(idle.status).toBe('up-to-date');
    expect(idle.requests).toBe(1);
    expect(idle.bytesReceived).toBe(0);
    expect(idle.bytesSent).toBe(0);
  });
});
