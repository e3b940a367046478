import { repairRelations } from './repair-relations';
import { aProject, aTag, aTask } from '../../../testing/domain-testing';
import { DomainData } from '../domain-data.model';

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

  it("gives a task the tag that lists it, as Super Productivity's TODAY tag lists its tasks", () => {
    const { data, repairs } = repairRelations({
      task: [aTask('a', { tagIds: [] })],
      project: [],
      tag: [{ ...aTag('TODAY'), taskIds: ['a', 'gone'] }],
      metric: [],
    });
    expect(data.task[0].tagIds).toEqual(['TODAY']);
    expect(data.tag[0].taskIds).toEqual(['a']);
    expect(repairs).toContain("task 'a': now carries tag(s) 'TODAY' that listed it");
  });
});
