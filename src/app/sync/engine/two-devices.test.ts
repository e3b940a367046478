import { MemoryPersistence } from './memory-persistence';
import { MemoryRemote } from './memory-remote';
import { SyncEngine } from './sync-engine';
import { DomainEntity } from './schema';

function task(id: string, fields: Record<string, unknown> = {}): DomainEntity {
  return { id, title: id, notes: '', isDone: false, doneOn: null, projectId: null, parentId: null, subTaskIds: [], tagIds: [], timeEstimate: 0, timeSpent: 0, timeSpentOnDay: {}, dueDay: null, created: 1, ...fields };
}

async function device(remote: MemoryRemote, name: string, clock: { now: number }) {
  return SyncEngine.open({ store: remote, persistence: new MemoryPersistence(), deviceName: name, now: () => clock.now, sleep: async () => undefined });
}

describe('two devices through one remote', () => {
  it('carries a task created on one device to the other', async () => {
    const clock = { now: 1_000 };
    const remote = new MemoryRemote();
    const a = await device(remote, 'A', clock);
    const b = await device(remote, 'B', clock);
    await a.applyLocalChanges([{ type: 'task', id: 't1', entity: task('t1', { title: 'Buy milk' }) }]);
    const first = await a.sync();
    expect(first.status).toBe('synced');
    const pulled = await b.sync();
    expect(pulled.received.task).toBe(1);
    expect(b.entity('task', 't1')?.['title']).toBe('Buy milk');
  });

  it('merges edits to different fields of one task made on two devices', async () => {
    const clock = { now: 1_000 };
    const remote = new MemoryRemote();
    const a = await device(remote, 'A', clock);
    const b = await device(remote, 'B', clock);
    await a.applyLocalChanges([{ type: 'task', id: 't1', entity: task('t1') }]);
    await a.sync();
    await b.sync();
    clock.now += 1000;
    await a.applyLocalChanges([{ type: 'task', id: 't1', entity: { ...a.entity('task', 't1')!, title: 'Renamed' } }]);
    clock.now += 1000;
    await b.applyLocalChanges([{ type: 'task', id: 't1', entity: { ...b.entity('task', 't1')!, isDone: true } }]);
    await a.sync();
    await b.sync();
    await a.sync();
    for (const engine of [a, b]) {
      expect(engine.entity('task', 't1')?.['title']).toBe('Renamed');
      expect(engine.entity('task', 't1')?.['isDone']).toBe(true);
      expect(engine.conflicts()).toEqual([]);
    }
  });

  it('keeps the losing title of a concurrent edit as a conflict both devices can restore', async () => {
    const clock = { now: 1_000 };
    const remote = new MemoryRemote();
    const a = await device(remote, 'A', clock);
    const b = await device(remote, 'B', clock);
    await a.applyLocalChanges([{ type: 'task', id: 't1', entity: task('t1') }]);
    await a.sync();
    await b.sync();
    clock.now += 1000;
    await a.applyLocalChanges([{ type: 'task', id: 't1', entity: { ...a.entity('task', 't1')!, title: 'From A' } }]);
    clock.now += 1000;
    await b.applyLocalChanges([{ type: 'task', id: 't1', entity: { ...b.entity('task', 't1')!, title: 'From B' } }]);
    await a.sync();
    await b.sync();
    await a.sync();
    expect(a.entity('task', 't1')?.['title']).toBe('From B');
    expect(b.entity('task', 't1')?.['title']).toBe('From B');
    const [conflict] = a.conflicts();
    expect(conflict.field).toBe('title');
    expect(conflict.shown.value).toBe('From B');
    expect(conflict.others.map((other) => other.value)).toEqual(['From A']);
    await a.resolveConflict('task', 't1', 'title', conflict.others[0].stamp);
    await a.sync();
    await b.sync();
    expect(b.entity('task', 't1')?.['title']).toBe('From A');
    expect(a.conflicts()).toEqual([]);
    expect(b.conflicts()).toEqual([]);
  });

  it('answers a round with nothing new with one conditional request and no body', async () => {
    const clock = { now: 1_000 };
    const remote = new MemoryRemote();
    const a = await device(remote, 'A', clock);
    await a.applyLocalChanges([{ type: 'task', id: 't1', entity: task('t1') }]);
    await a.sync();
    const idle = await a.sync();
    expect(idle.status).toBe('up-to-date');
    expect(idle.requests).toBe(1);
    expect(idle.bytesReceived).toBe(0);
    expect(idle.bytesSent).toBe(0);
  });
});
