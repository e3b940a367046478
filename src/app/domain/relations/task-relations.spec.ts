import fc from 'fast-check';
import { Action } from '@ngrx/store';
import { DomainState } from '../domain-state';
import { ProjectPageActions } from '../project/project.actions';
import { TagPageActions } from '../tag/tag.actions';
import { TaskPageActions } from '../task/task.actions';
import {
  aProject, aTag, aTask, consistencyProblems, domainRootReducer, initialDomainState,
} from '../../../testing/domain-testing';

function run(actions: Action[], from: DomainState = initialDomainState()): DomainState {
  return actions.reduce((s, a) => domainRootReducer(s, a), from);
}

/** Projects p1, p2; tags x, y; task a (p1, tagged x) with subtasks a1 (tagged y) and a2; task b (p1). */
function seeded(): DomainState {
  return run([
    ProjectPageActions.addProject({ project: aProject('p1') }),
    ProjectPageActions.addProject({ project: aProject('p2') }),
    TagPageActions.addTag({ tag: aTag('x') }),
    TagPageActions.addTag({ tag: aTag('y') }),
    TaskPageActions.addTask({ task: aTask('a', { projectId: 'p1', tagIds: ['x'] }) }),
    TaskPageActions.addTask({ task: aTask('a1', { parentId: 'a', tagIds: ['y'] }) }),
    TaskPageActions.addTask({ task: aTask('a2', { parentId: 'a' }) }),
    TaskPageActions.addTask({ task: aTask('b', { projectId: 'p1' }) }),
  ]);
}

describe('task relations', () => {
  it('adds a top-level task to the end of its project and to its tags', () => {
    const s = seeded();
    expect(s.project.entities['p1']!.taskIds).toEqual(['a', 'b']);
    expect(s.tag.entities['x']!.taskIds).toEqual(['a']);
    expect(consistencyProblems(s)).toEqual([]);
  });

  it('adds a subtask to its parent, in the parent project, and not to the project list', () => {
    const s = seeded();
    expect(s.task.entities['a']!.subTaskIds).toEqual(['a1', 'a2']);
    expect(s.task.entities['a1']!.projectId).toBe('p1');
    expect(s.project.entities['p1']!.taskIds).not.toContain('a1');
    expect(s.tag.entities['y']!.taskIds).toEqual(['a1']);
  });

  it('refuses a subtask of a subtask, keeping one level as Super Productivity does', () => {
    const before = seeded();
    const after = run([TaskPageActions.addTask({ task: aTask('deep', { parentId: 'a1' }) })], before);
    expect(after).toBe(before);
  });

  it('drops references to a project or tags that do not exist when adding a task', () => {
    const s = run([TaskPageActions.addTask({ task: aTask('z', { projectId: 'nope', tagIds: ['x', 'ghost', 'x'] }) })], seeded());
    expect(s.task.entities['z']!.projectId).toBeNull();
    expect(s.task.entities['z']!.tagIds).toEqual(['x']);
    expect(consistencyProblems(s)).toEqual([]);
  });

  it('deleting a task deletes its subtasks and removes it from its project and every tag', () => {
    const s = run([TaskPageActions.deleteTask({ id: 'a' })], seeded());
    expect(s.task.ids).toEqual(['b']);
    expect(s.project.entities['p1']!.taskIds).toEqual(['b']);
    expect(s.tag.entities['x']!.taskIds).toEqual([]);
    expect(s.tag.entities['y']!.taskIds).toEqual([]);
    expect(consistencyProblems(s)).toEqual([]);
  });

  it('deleting a subtask removes it from its parent only, leaving unrelated entities identical', () => {
    const before = seeded();
    const after = run([TaskPageActions.deleteTask({ id: 'a2' })], before);
    expect(after.task.entities['a']!.subTaskIds).toEqual(['a1']);
    expect(after.task.entities['b']).toBe(before.task.entities['b']);
    expect(after.project).toBe(before.project);
    expect(after.tag).toBe(before.tag);
  });

  it('moving a task updates both projects and carries its subtasks along', () => {
    const before = seeded();
    const s = run([TaskPageActions.moveTaskToProject({ id: 'a', projectId: 'p2' })], before);
    expect(s.project.entities['p1']!.taskIds).toEqual(['b']);
    expect(s.project.entities['p2']!.taskIds).toEqual(['a']);
    expect(['a', 'a1', 'a2'].map((id) => s.task.entities[id]!.projectId)).toEqual(['p2', 'p2', 'p2']);
    expect(s.task.entities['b']).toBe(before.task.entities['b']);
    expect(consistencyProblems(s)).toEqual([]);
  });

  it('ignores moving a subtask on its own or into a project that does not exist', () => {
    const before = seeded();
    expect(run([TaskPageActions.moveTaskToProject({ id: 'a1', projectId: 'p2' })], before)).toBe(before);
    expect(run([TaskPageActions.moveTaskToProject({ id: 'a', projectId: 'ghost' })], before)).toBe(before);
  });

  it('tagging a task adds it to the new tag and removes it from the dropped one', () => {
    const s = run([TaskPageActions.setTaskTags({ id: 'a', tagIds: ['y'] })], seeded());
    expect(s.task.entities['a']!.tagIds).toEqual(['y']);
    expect(s.tag.entities['x']!.taskIds).toEqual([]);
    expect(s.tag.entities['y']!.taskIds).toEqual(['a1', 'a']);
    expect(consistencyProblems(s)).toEqual([]);
  });

  it('deleting a tag takes it off every task that carried it', () => {
    const s = run([TagPageActions.deleteTag({ id: 'x' })], seeded());
    expect(s.tag.entities['x']).toBeUndefined();
    expect(s.task.entities['a']!.tagIds).toEqual([]);
    expect(consistencyProblems(s)).toEqual([]);
  });

  it('reorders a project, a tag and a parent list without changing membership', () => {
    let s = run([TaskPageActions.reorderTask({ list: { kind: 'project', id: 'p1' }, taskId: 'b', toIndex: 0 })], seeded());
    expect(s.project.entities['p1']!.taskIds).toEqual(['b', 'a']);
    s = run([TaskPageActions.reorderTask({ list: { kind: 'parent', id: 'a' }, taskId: 'a2', toIndex: 0 })], s);
    expect(s.task.entities['a']!.subTaskIds).toEqual(['a2', 'a1']);
    s = run([TaskPageActions.setTaskTags({ id: 'b', tagIds: ['x'] }), TaskPageActions.reorderTask({ list: { kind: 'tag', id: 'x' }, taskId: 'b', toIndex: -5 })], s);
    expect(s.tag.entities['x']!.taskIds).toEqual(['b', 'a']);
    expect(consistencyProblems(s)).toEqual([]);
  });

  it('keeps every id list consistent after any sequence of actions (property)', () => {
    const ids = ['t1', 't2', 't3', 't4', 't5'];
    const projects = ['p1', 'p2', 'p3'];
    const tags = ['x', 'y', 'z'];
    const action = fc.oneof(
      fc.record({ id: fc.constantFrom(...ids), projectId: fc.constantFrom(...projects, 'ghost'), tagIds: fc.subarray([...tags, 'ghost']) })
        .map(({ id, projectId, tagIds }) => TaskPageActions.addTask({ task: aTask(id, { projectId, tagIds }) })),
      fc.record({ id: fc.constantFrom(...ids), parentId: fc.constantFrom(...ids) })
        .map(({ id, parentId }) => TaskPageActions.addTask({ task: aTask(id, { parentId }) })),
      fc.constantFrom(...ids).map((id) => TaskPageActions.deleteTask({ id })),
      fc.record({ id: fc.constantFrom(...ids), projectId: fc.constantFrom(...projects) }).map((p) => TaskPageActions.moveTaskToProject(p)),
      fc.record({ id: fc.constantFrom(...ids), tagIds: fc.array(fc.constantFrom(...tags, 'ghost'), { maxLength: 4 }) }).map((p) => TaskPageActions.setTaskTags(p)),
      fc.record({ kind: fc.constantFrom('project' as const, 'tag' as const, 'parent' as const), id: fc.constantFrom(...projects, ...tags, ...ids), taskId: fc.constantFrom(...ids), toIndex: fc.integer({ min: -1, max: 6 }) })
        .map(({ kind, id, taskId, toIndex }) => TaskPageActions.reorderTask({ list: { kind, id }, taskId, toIndex })),
      fc.constantFrom(...tags).map((id) => TagPageActions.deleteTag({ id })),
      fc.constantFrom(...tags).map((id) => TagPageActions.addTag({ tag: aTag(id) })),
    );
    const start = run([...projects.map((id) => ProjectPageActions.addProject({ project: aProject(id) })), ...tags.map((id) => TagPageActions.addTag({ tag: aTag(id) }))]);
    const check = () => fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let s = start;
        for (const a of actions) {
          s = domainRootReducer(s, a);
          const problems = consistencyProblems(s);
          if (problems.length) throw new Error(`after ${a.type}: ${problems.join('; ')}`);
        }
        return true;
      }),
      { numRuns: 300 },
    );
    expect(check).not.toThrow();
  });
});
