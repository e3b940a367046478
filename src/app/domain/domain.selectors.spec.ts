import { selectActiveProjects, selectProjectTaskRows, selectTagTaskRows } from './domain.selectors';
import { ProjectPageActions } from './project/project.actions';
import { TagPageActions } from './tag/tag.actions';
import { TaskPageActions } from './task/task.actions';
import { aProject, aTag, aTask, domainRootReducer, initialDomainState } from '../../testing/domain-testing';
import { DomainState } from './domain-state';

describe('domain selectors', () => {
  let s: DomainState;
  beforeEach(() => {
    s = [
      ProjectPageActions.addProject({ project: aProject('p') }),
      ProjectPageActions.addProject({ project: aProject('old') }),
      ProjectPageActions.archiveProject({ id: 'old', isArchived: true }),
      TagPageActions.addTag({ tag: aTag('x') }),
      TaskPageActions.addTask({ task: aTask('a', { projectId: 'p' }) }),
      TaskPageActions.addTask({ task: aTask('a1', { parentId: 'a', tagIds: ['x'] }) }),
      TaskPageActions.addTask({ task: aTask('b', { projectId: 'p', tagIds: ['x'] }) }),
    ].reduce((st, action) => domainRootReducer(st, action), initialDomainState());
  });

  it('lists a project as its tasks in order, each followed by its subtasks', () => {
    const rows = selectProjectTaskRows('p')(s);
    expect(rows.map((r) => [r.task.id, r.depth])).toEqual([['a', 0], ['a1', 1], ['b', 0]]);
  });

  it("lists a tag's tasks in the tag's order, a tagged subtask of an untagged parent on its own line", () => {
    expect(selectTagTaskRows('x')(s).map((r) => [r.task.id, r.depth])).toEqual([['a1', 0], ['b', 0]]);
  });

  it('shows the subtasks of a tagged task under it on the tag page, once', () => {
    const tagged = domainRootReducer(s, TaskPageActions.setTaskTags({ id: 'a', tagIds: ['x'] }));
    expect(selectTagTaskRows('x')(tagged).map((r) => [r.task.id, r.depth])).toEqual([['b', 0], ['a', 0], ['a1', 1]]);
  });

  it('leaves archived projects out of the active list', () => {
    expect(selectActiveProjects(s).map((p) => p.id)).toEqual(['p']);
  });
});
