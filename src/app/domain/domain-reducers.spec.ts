import { RemoteEntitiesActions, ImportActions } from './app-data.actions';
import { MetricsPageActions } from './metric/metric.actions';
import { newMetric } from './entity-factories';
import { ProjectPageActions } from './project/project.actions';
import { TaskPageActions } from './task/task.actions';
import { aProject, aTask, domainRootReducer, initialDomainState, STAMP } from '../../testing/domain-testing';

describe('domain reducers', () => {
  const base = () => {
    let s = domainRootReducer(initialDomainState(), ProjectPageActions.addProject({ project: aProject('p') }));
    s = domainRootReducer(s, ProjectPageActions.addProject({ project: aProject('q') }));
    return domainRootReducer(s, TaskPageActions.addTask({ task: aTask('a', { projectId: 'p' }) }));
  };

  it('creates entities with the stamp the action carried, version 1', () => {
    const s = base();
    expect(s.task.entities['a']).toEqual(jasmine.objectContaining({ version: 1, lastModifiedAt: STAMP.now, lastModifiedBy: STAMP.deviceId }));
  });

  it('renames and archives a project, leaving the other project the same object', () => {
    const before = base();
    let s = domainRootReducer(before, ProjectPageActions.renameProject({ id: 'p', title: 'Renamed' }));
    s = domainRootReducer(s, ProjectPageActions.archiveProject({ id: 'p', isArchived: true }));
    expect(s.project.entities['p']).toEqual(jasmine.objectContaining({ title: 'Renamed', isArchived: true }));
    expect(s.project.entities['q']).toBe(before.project.entities['q']);
  });

  it('edits task fields and records when it was completed, clearing it on reopening', () => {
    let s = domainRootReducer(base(), TaskPageActions.updateTask({ id: 'a', changes: { title: 'T', notes: 'N', timeEstimate: 60_000, dueDay: '2026-01-02' } }));
    s = domainRootReducer(s, TaskPageActions.setTaskDone({ id: 'a', isDone: true, doneOn: 42 }));
    expect(s.task.entities['a']).toEqual(jasmine.objectContaining({ title: 'T', notes: 'N', timeEstimate: 60_000, dueDay: '2026-01-02', isDone: true, doneOn: 42 }));
    s = domainRootReducer(s, TaskPageActions.setTaskDone({ id: 'a', isDone: false, doneOn: 99 }));
    expect(s.task.entities['a']!.doneOn).toBeNull();
  });

  it('keeps one metric per day: saving a recorded day changes its values, not its metadata', () => {
    let s = domainRootReducer(initialDomainState(), MetricsPageActions.saveMetric({ metric: newMetric('2026-01-01', { mood: 3, productivity: 4, notes: 'meh' }, STAMP) }));
    const later = { now: STAMP.now + 1000, deviceId: 'other' };
    s = domainRootReducer(s, MetricsPageActions.saveMetric({ metric: newMetric('2026-01-01', { mood: 8, productivity: 9, notes: 'good' }, later) }));
    expect(s.metric.ids).toEqual(['2026-01-01']);
    expect(s.metric.entities['2026-01-01']).toEqual(jasmine.objectContaining({ mood: 8, productivity: 9, notes: 'good', lastModifiedBy: STAMP.deviceId }));
  });

  it('replaces everything on import', () => {
    const s = domainRootReducer(base(), ImportActions.dataImported({ data: { task: [], project: [aProject('z')], tag: [], metric: [] } }));
    expect(s.project.ids).toEqual(['z']);
    expect(s.task.ids).toEqual([]);
  });

  it('applies remote entities whole and removes remote deletions, touching nothing else', () => {
    const before = base();
    const remote = { ...before.task.entities['a']!, title: 'from elsewhere', version: 7 };
    const s = domainRootReducer(before, RemoteEntitiesActions.remoteEntitiesApplied({ upsert: { task: [remote] }, remove: { project: ['q'] } }));
    expect(s.task.entities['a']).toBe(remote);
    expect(s.project.entities['q']).toBeUndefined();
    expect(s.project.entities['p']).toBe(before.project.entities['p']);
    expect(s.tag).toBe(before.tag);
  });
});
