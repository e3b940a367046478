import { TaskPageActions } from './task/task.actions';
import { ProjectPageActions } from './project/project.actions';
import { diffEntities, isEmptyDiff, countChanges } from './entity-diff';
import { aProject, aTask, domainRootReducer, initialDomainState } from '../../testing/domain-testing';

describe('diffEntities', () => {
  const withProjectAndTask = () => {
    let s = domainRootReducer(initialDomainState(), ProjectPageActions.addProject({ project: aProject('p') }));
    s = domainRootReducer(s, TaskPageActions.addTask({ task: aTask('a', { projectId: 'p' }) }));
    s = domainRootReducer(s, TaskPageActions.addTask({ task: aTask('b', { projectId: 'p' }) }));
    return s;
  };

  it('reports nothing between a state and itself', () => {
    const s = withProjectAndTask();
    expect(isEmptyDiff(diffEntities(s, s))).toBeTrue();
  });

  it('reports a created task and the project whose list gained it as updated', () => {
    const before = withProjectAndTask();
    const after = domainRootReducer(before, TaskPageActions.addTask({ task: aTask('c', { projectId: 'p' }) }));
    const diff = diffEntities(before, after);
    expect(diff.task.created.map((t) => t.id)).toEqual(['c']);
    expect(diff.task.updated).toEqual([]);
    expect(diff.project.updated.map((p) => p.id)).toEqual(['p']);
    expect(diff.tag.created.length + diff.metric.created.length).toBe(0);
  });

  it('reports only the edited task as updated, by reference, leaving the others out', () => {
    const before = withProjectAndTask();
    const after = domainRootReducer(before, TaskPageActions.updateTask({ id: 'a', changes: { title: 'new' } }));
    const diff = diffEntities(before, after);
    expect(diff.task.updated.length).toBe(1);
    expect(diff.task.updated[0]).toBe(after.task.entities['a']!);
    expect(countChanges(diff)).toBe(1);
  });

  it('reports removed entities as they were before removal', () => {
    const before = withProjectAndTask();
    const after = domainRootReducer(before, TaskPageActions.deleteTask({ id: 'b' }));
    const diff = diffEntities(before, after);
    expect(diff.task.removed).toEqual([before.task.entities['b']!]);
  });

  it('skips a type whose entities map is the same object without looking at its ids', () => {
    const before = withProjectAndTask();
    const poisoned = { ...before, task: { ...before.task, ids: null as unknown as string[] } };
    expect(() => diffEntities(before, poisoned)).not.toThrow();
    expect(diffEntities(before, poisoned).task).toEqual({ created: [], updated: [], removed: [] });
  });
});
