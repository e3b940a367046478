import { repairRelations } from './repair-relations';
import { aProject, aTag, aTask } from '../../../testing/domain-testing';
import { DomainData } from '../domain-data.model';
import { adoptTagListings } from '../backup/tag-listings';
import { DomainEntity } from '../../sync/engine/crdt/schema';
import { EntitiesByType, repairReferences } from '../../sync/engine/replica/repair';

describe('repairRelations', () => {
  it('returns consistent data unchanged, entity by entity, with no repairs', () => {
    const p = { ...aProject('p'), taskIds: ['a'] };
    const a = aTask('a', { projectId: 'p', tagIds: ['x'] });
    const x = { ...aTag('x'), taskIds: ['a'] };
    const result = repairRelations({ task: [a], project: [p], tag: [x], metric: [] });
    expect(result.repairs).toEqual([]);
    expect(result.data.task[0]).toBe(a);
    expect(result.data.project[0]).toBe(p);
    expect(result.data.tag[0]).toBe(x);
  });

  it('clears dangling references and names each repair', () => {
    const data: DomainData = {
      task: [aTask('a', { projectId: 'gone', parentId: null, tagIds: ['nope'] }), aTask('b', { parentId: 'missing' })],
      project: [],
      tag: [],
      metric: [],
    };
    const { data: fixed, repairs } = repairRelations(data);
    expect(fixed.task[0].projectId).toBeNull();
    expect(fixed.task[0].tagIds).toEqual([]);
    expect(fixed.task[1].parentId).toBeNull();
    expect(repairs).toContain("task 'a': project 'gone' does not exist, the task is now in no project");
    expect(repairs).toContain("task 'b': parent task 'missing' does not exist, it became a top-level task");
  });

  it('rebuilds id lists from the tasks, keeping the listed order and appending the missing', () => {
    const data: DomainData = {
      task: [
        aTask('a', { projectId: 'p', tagIds: ['x'] }),
        aTask('b', { projectId: 'p', subTaskIds: [] }),
        aTask('b1', { projectId: 'other', parentId: 'b' }),
      ],
      project: [{ ...aProject('p'), taskIds: ['b', 'ghost', 'b', 'b1'] }, aProject('other')],
      tag: [{ ...aTag('x'), taskIds: [] }],
      metric: [],
    };
    const { data: fixed } = repairRelations(data);
    expect(fixed.project[0].taskIds).toEqual(['b', 'a']);
    expect(fixed.task[1].subTaskIds).toEqual(['b1']);
    expect(fixed.task[2].projectId).toBe('p');
    expect(fixed.tag[0].taskIds).toEqual(['a']);
  });

  it("on import, gives a task the tag that lists it, as Super Productivity's TODAY tag lists its tasks", () => {
    const listed = adoptTagListings({ task: [aTask('a', { tagIds: [] })], project: [], tag: [{ ...aTag('TODAY'), taskIds: ['a', 'gone'] }], metric: [] });
    const { data } = repairRelations(listed.data);
    expect(data.task[0].tagIds).toEqual(['TODAY']);
    expect(data.tag[0].taskIds).toEqual(['a']);
    expect(listed.notes).toContain("task 'a': now carries tag(s) 'TODAY' that listed it");
  });

  it('repairs exactly as the sync engine does on every merge: what a device loads is what every device shows', () => {
    // Out-of-order and dangling lists, a subtask in another project than its parent, a tag list without the tag on the task.
    const data: DomainData = {
      task: [
        aTask('c', { projectId: 'p', created: 3 }),
        aTask('a', { projectId: 'p', created: 1, subTaskIds: ['ghost'] }),
        aTask('a1', { projectId: 'q', parentId: 'a', created: 2 }),
        aTask('b', { projectId: 'p', tagIds: [], created: 2 }),
      ],
      project: [{ ...aProject('p'), taskIds: ['c', 'zz'] }, aProject('q')],
      tag: [{ ...aTag('x'), taskIds: ['b'] }],
      metric: [],
    };
    const { data: fixed } = repairRelations(data);
    const engine = repairReferences(Object.fromEntries((['task', 'project', 'tag', 'metric'] as const).map((type) => [type, new Map((data[type] as unknown as DomainEntity[]).map((e) => [e.id, e]))])) as EntitiesByType);
    for (const type of ['task', 'project', 'tag'] as const) expect(fixed[type] as unknown[]).toEqual([...engine[type].values()]);
    expect(fixed.project[0].taskIds).toEqual(['c', 'a', 'b']);
    expect(fixed.task.find((t) => t.id === 'a1')!.projectId).toBe('p');
    expect(fixed.tag[0].taskIds).toEqual([]);
    // And it is a fixed point: repairing again changes nothing.
    expect(repairRelations(fixed).repairs).toEqual([]);
  });
});
