import { World, create, edit, project, remove, syncAll, tag, task } from '../testing/harness';

/** SYNC.md §5, one rule at a time, with two devices that edit before either syncs. */
describe('merge rules', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  async function twoDevicesWith(...setup: Array<[Parameters<typeof create>[1], ReturnType<typeof task>]>) {
    const a = await world.device('A');
    const b = await world.device('B');
    for (const [type, entity] of setup) await create(a, type, entity);
    await syncAll(a, b);
    world.later();
    return { a, b };
  }

  it('lets the later write win a scalar field and keeps the earlier one as a conflict', async () => {
    const { a, b } = await twoDevicesWith(['task', task('t1', { title: 'Original' })]);
    await edit(a, 'task', 't1', () => ({ title: 'Earlier' }));
    world.later();
    await edit(b, 'task', 't1', () => ({ title: 'Later' }));
    await syncAll(a, b);
    expect(a.entity('task', 't1')!['title']).toBe('Later');
    expect(b.entity('task', 't1')!['title']).toBe('Later');
    for (const engine of [a, b]) {
      const [conflict] = engine.conflicts();
      expect(conflict).toEqual(jasmine.objectContaining({ type: 'task', id: 't1', field: 'title', title: 'Later' }));
      expect(conflict.shown.value).toBe('Later');
      expect(conflict.others.map((other) => other.value)).toEqual(['Earlier']);
    }
  });

  it('raises no conflict when a device edits a field after seeing the other device’s value', async () => {
    const { a, b } = await twoDevicesWith(['task', task('t1')]);
    await edit(a, 'task', 't1', () => ({ title: 'First' }));
    await syncAll(a, b);
    await edit(b, 'task', 't1', () => ({ title: 'Second' }));
    await syncAll(a, b);
    expect(a.entity('task', 't1')!['title']).toBe('Second');
    expect(a.conflicts()).toEqual([]);
  });

  it('merges tag sets three-way: both additions survive and a removal applies', async () => {
    const { a, b } = await twoDevicesWith(['tag', tag('x')], ['tag', tag('y')], ['tag', tag('z')], ['task', task('t1', { tagIds: ['x'] })]);
    await edit(a, 'task', 't1', (t) => ({ tagIds: [...(t['tagIds'] as string[]), 'y'] }));
    await edit(b, 'task', 't1', () => ({ tagIds: ['z'] }));
    await syncAll(a, b);
    for (const engine of [a, b]) expect([...(engine.entity('task', 't1')!['tagIds'] as string[])].sort()).toEqual(['y', 'z']);
  });

  it('keeps both devices’ inserts into one project list in one order on both devices', async () => {
    const { a, b } = await twoDevicesWith(['project', project('p', { taskIds: ['t1', 't2'] })], ['task', task('t1', { projectId: 'p' })], ['task', task('t2', { projectId: 'p' })]);
    await create(a, 'task', task('a1', { projectId: 'p', created: 5 }));
    await edit(a, 'project', 'p', (p) => ({ taskIds: ['t1', 'a1', ...(p['taskIds'] as string[]).slice(1)] }));
    await create(b, 'task', task('b1', { projectId: 'p', created: 6 }));
    await edit(b, 'project', 'p', (p) => ({ taskIds: [...(p['taskIds'] as string[]), 'b1'] }));
    await syncAll(a, b);
    const order = a.entity('project', 'p')!['taskIds'] as string[];
    expect(order).toEqual(b.entity('project', 'p')!['taskIds'] as string[]);
    expect(order).toEqual(['t1', 'a1', 't2', 'b1']);
  });

  it('applies a move on one device and a removal on the other to one list', async () => {
    const { a, b } = await twoDevicesWith(
      ['project', project('p', { taskIds: ['t1', 't2', 't3'] })],
      ['task', task('t1', { projectId: 'p' })],
      ['task', task('t2', { projectId: 'p' })],
      ['task', task('t3', { projectId: 'p' })],
    );
    await edit(a, 'project', 'p', () => ({ taskIds: ['t3', 't1', 't2'] }));
    await remove(b, 'task', 't2');
    await edit(b, 'project', 'p', () => ({ taskIds: ['t1', 't3'] }));
    await syncAll(a, b);
    expect(a.entity('project', 'p')!['taskIds']).toEqual(['t3', 't1']);
    expect(b.entity('project', 'p')!['taskIds']).toEqual(['t3', 't1']);
  });

  it('merges time spent per day key by key, and the later stamp wins a day changed on both', async () => {
    const { a, b } = await twoDevicesWith(['task', task('t1', { timeSpentOnDay: { '2026-11-01': 60 } })]);
    await edit(a, 'task', 't1', (t) => ({ timeSpentOnDay: { ...(t['timeSpentOnDay'] as object), '2026-11-02': 120, '2026-11-01': 90 } }));
    world.later();
    await edit(b, 'task', 't1', (t) => ({ timeSpentOnDay: { ...(t['timeSpentOnDay'] as object), '2026-11-03': 30, '2026-11-01': 75 } }));
    await syncAll(a, b);
    for (const engine of [a, b]) expect(engine.entity('task', 't1')!['timeSpentOnDay']).toEqual({ '2026-11-01': 75, '2026-11-02': 120, '2026-11-03': 30 });
    expect(a.conflicts().map((c) => c.field)).toEqual(['timeSpentOnDay/2026-11-01']);
  });

  it('brings a task deleted on one device back when the other edited it concurrently, with a conflict saying so', async () => {
    const { a, b } = await twoDevicesWith(['task', task('t1', { title: 'Keep me' })]);
    world.later();
    await remove(a, 'task', 't1');
    await edit(b, 'task', 't1', () => ({ isDone: true }));
    await syncAll(a, b);
    for (const engine of [a, b]) {
      expect(engine.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'Keep me', isDone: true }));
      expect(engine.conflicts().map((c) => c.field)).toEqual(['_del']);
    }
    // "Keep" what is shown keeps the task; "Use the other" deletes it after all.
    const [conflict] = a.conflicts();
    expect(conflict.shown.value).toBe(false);
    await a.resolveConflict('task', 't1', '_del', conflict.shown.stamp);
    await syncAll(a, b);
    expect(b.entity('task', 't1')).toBeDefined();
    expect(b.conflicts()).toEqual([]);
  });

  it('keeps a delete that no concurrent edit followed', async () => {
    const { a, b } = await twoDevicesWith(['task', task('t1')]);
    await remove(a, 'task', 't1');
    await syncAll(a, b);
    world.later();
    await syncAll(b, a);
    expect(a.entity('task', 't1')).toBeUndefined();
    expect(b.entity('task', 't1')).toBeUndefined();
  });

  it('merges an entity created on both devices with the same id field by field', async () => {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'metric', { id: '2026-11-25', mood: 4, productivity: 3, notes: '', version: 1 });
    world.later();
    await create(b, 'metric', { id: '2026-11-25', mood: 2, productivity: 3, notes: 'Long day', version: 1 });
    await syncAll(a, b);
    for (const engine of [a, b]) {
      expect(engine.entity('metric', '2026-11-25')).toEqual(jasmine.objectContaining({ mood: 2, productivity: 3, notes: 'Long day' }));
    }
    expect(a.conflicts().map((c) => c.field).sort()).toEqual(['mood', 'notes']);
  });

  it('repairs references after a merge the same way on every device', async () => {
    const { a, b } = await twoDevicesWith(['project', project('p1', { taskIds: ['t1'] })], ['project', project('p2')], ['project', project('p3')], ['task', task('t1', { projectId: 'p1' })]);
    // Both devices move the same task to different projects at the same time.
    await edit(a, 'task', 't1', () => ({ projectId: 'p2' }));
    await edit(a, 'project', 'p1', () => ({ taskIds: [] }));
    await edit(a, 'project', 'p2', () => ({ taskIds: ['t1'] }));
    world.later();
    await edit(b, 'task', 't1', () => ({ projectId: 'p3' }));
    await edit(b, 'project', 'p1', () => ({ taskIds: [] }));
    await edit(b, 'project', 'p3', () => ({ taskIds: ['t1'] }));
    await syncAll(a, b);
    for (const engine of [a, b]) {
      expect(engine.entity('task', 't1')!['projectId']).toBe('p3');
      expect(engine.entity('project', 'p2')!['taskIds']).toEqual([]);
      expect(engine.entity('project', 'p3')!['taskIds']).toEqual(['t1']);
    }
  });

  it('drops references to a deleted project, parent or tag', async () => {
    const { a, b } = await twoDevicesWith(
      ['project', project('p1', { taskIds: ['t1'] })],
      ['tag', tag('x', { taskIds: ['t1'] })],
      ['task', task('t1', { projectId: 'p1', tagIds: ['x'], subTaskIds: ['s1'] })],
      ['task', task('s1', { parentId: 't1', projectId: 'p1' })],
    );
    await remove(a, 'project', 'p1');
    await remove(a, 'tag', 'x');
    world.later();
    await edit(b, 'task', 's1', () => ({ title: 'Still here' }));
    await remove(a, 'task', 't1');
    await syncAll(a, b);
    for (const engine of [a, b]) {
      expect(engine.entity('task', 't1')).toBeUndefined();
      expect(engine.entity('task', 's1')).toEqual(jasmine.objectContaining({ title: 'Still here', parentId: null, projectId: null }));
    }
  });
});
