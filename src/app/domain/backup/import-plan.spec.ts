import { aProject, aTask, domainRootReducer } from '../../../testing/domain-testing';
import { ImportActions } from '../app-data.actions';
import { TaskPageActions } from '../task/task.actions';
import { DomainData } from '../domain-data.model';
import { importImpact, planImport } from './import-plan';

const data = (partial: Partial<DomainData>): DomainData => ({ task: [], project: [], tag: [], metric: [], ...partial });

describe('import plan', () => {
  const p = aProject('p');
  const current = data({ project: [p], task: [aTask('a', { projectId: 'p', lastModifiedAt: 10 }), aTask('b', { projectId: 'p', title: 'mine', lastModifiedAt: 50 })] });
  const backup = data({ project: [p], task: [aTask('b', { projectId: 'p', title: 'older backup', lastModifiedAt: 20 }), aTask('c', { projectId: 'p', lastModifiedAt: 30 })] });

  it('counts what a replace deletes', () => {
    expect(importImpact(current, backup)).toEqual({ deletes: { task: 1, project: 0, tag: 0, metric: 0 }, totalDeletes: 1 });
  });

  it('merging deletes nothing, adds what is new, and keeps the version changed last', () => {
    const merged = planImport(current, backup, 'merge');
    expect(merged.task.map((t) => t.id).sort()).toEqual(['a', 'b', 'c']);
    expect(merged.task.find((t) => t.id === 'b')!.title).toBe('mine');
    expect(merged.project[0]!.taskIds).toEqual(jasmine.arrayWithExactContents(['a', 'b', 'c']));
  });

  it('merges into the state as it is when the action runs, not into a copy taken when the dialog opened', () => {
    let state = domainRootReducer(undefined, { type: '@@init' });
    state = domainRootReducer(state, ImportActions.dataImported({ data: current }));
    // Added while the dialog was open (another tab, a sync round).
    state = domainRootReducer(state, TaskPageActions.addTask({ task: aTask('late', { projectId: 'p' }) }));
    state = domainRootReducer(state, ImportActions.dataMerged({ data: backup }));
    expect(state.task.ids).toEqual(jasmine.arrayWithExactContents(['a', 'b', 'c', 'late']));
  });

  it('replacing is the backup as it is', () => {
    expect(planImport(current, backup, 'replace')).toBe(backup);
  });
});
