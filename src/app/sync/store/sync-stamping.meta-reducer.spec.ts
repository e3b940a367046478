import { Action, ActionReducer, combineReducers } from '@ngrx/store';
import { PersistenceActions, RemoteEntitiesActions } from '../../domain/app-data.actions';
import { domainReducers, DomainState } from '../../domain/domain-state';
import { newProject, newTag, newTask } from '../../domain/entity-factories';
import { MetricsPageActions } from '../../domain/metric/metric.actions';
import { ProjectPageActions } from '../../domain/project/project.actions';
import { relationsMetaReducer } from '../../domain/relations/relations.meta-reducer';
import { TagPageActions } from '../../domain/tag/tag.actions';
import { TaskPageActions } from '../../domain/task/task.actions';
import { persistenceFeature } from '../../persistence/persistence.reducer';
import { PersistenceStatusActions } from '../../persistence/persistence.actions';
import { syncStampingMetaReducer } from './sync-stamping.meta-reducer';

type Root = DomainState & { persistence: ReturnType<typeof persistenceFeature.reducer> };

describe('sync stamping meta-reducer', () => {
  const created = { now: 1_000, deviceId: 'other-device' };
  let now: number;
  let reducer: ActionReducer<Root, Action>;
  let state: Root;

  function dispatch(action: Action): Root {
    const before = state;
    state = reducer(state, action);
    expect(state).not.toBe(before);
    return state;
  }

  beforeEach(() => {
    now = 50_000;
    const base = combineReducers({ ...domainReducers, persistence: persistenceFeature.reducer }) as unknown as ActionReducer<Root, Action>;
    reducer = syncStampingMetaReducer(() => now)(relationsMetaReducer(base));
    state = reducer(undefined, { type: '@@init' });
    state = reducer(state, PersistenceStatusActions.deviceIdentified({ deviceId: 'this-device', dbName: 'test' }));
    state = reducer(state, PersistenceActions.stateLoaded({ data: { task: [newTask('t1', { title: 'One', projectId: 'p1' }, created), newTask('t2', { title: 'Two', projectId: 'p1' }, created)], project: [{ ...newProject('p1', 'Work', '#000', created), taskIds: ['t1', 't2'] }], tag: [newTag('g1', 'urgent', '#f00', created)], metric: [] } }));
  });

  it('leaves the entities of a loaded state exactly as stored', () => {
    expect(state.task.entities['t1']).toEqual(jasmine.objectContaining({ version: 1, lastModifiedAt: 1_000, lastModifiedBy: 'other-device' }));
  });

  it('bumps the version and stamps time and device on a task edit, and only on that task', () => {
    const untouched = state.task.entities['t2'];
    now = 60_000;
    dispatch(TaskPageActions.updateTask({ id: 't1', changes: { title: 'One!' } }));
    expect(state.task.entities['t1']).toEqual(jasmine.objectContaining({ title: 'One!', version: 2, lastModifiedAt: 60_000, lastModifiedBy: 'this-device' }));
    expect(state.task.entities['t2']).toBe(untouched);
  });

  it('stamps every entity an action changes across types: a moved task and both projects', () => {
    dispatch(ProjectPageActions.addProject({ project: newProject('p2', 'Home', '#fff', created) }));
    now = 70_000;
    dispatch(TaskPageActions.moveTaskToProject({ id: 't1', projectId: 'p2' }));
    expect(state.task.entities['t1']!.lastModifiedAt).toBe(70_000);
    expect(state.project.entities['p1']!.lastModifiedAt).toBe(70_000);
    expect(state.project.entities['p2']!.version).toBe(2);
  });

  it('stamps creations with version 1 from this device', () => {
    dispatch(TagPageActions.addTag({ tag: newTag('g2', 'home', '#0f0', created) }));
    expect(state.tag.entities['g2']).toEqual(jasmine.objectContaining({ version: 1, lastModifiedAt: now, lastModifiedBy: 'this-device' }));
  });

  for (const [name, action] of [
    ['set done', () => TaskPageActions.setTaskDone({ id: 't1', isDone: true, doneOn: 5 })],
    ['set tags', () => TaskPageActions.setTaskTags({ id: 't1', tagIds: ['g1'] })],
    ['reorder', () => TaskPageActions.reorderTask({ list: { kind: 'project', id: 'p1' }, taskId: 't2', toIndex: 0 })],
    ['rename project', () => ProjectPageActions.renameProject({ id: 'p1', title: 'Job' })],
    ['archive project', () => ProjectPageActions.archiveProject({ id: 'p1', isArchived: true })],
    ['rename tag', () => TagPageActions.renameTag({ id: 'g1', title: 'now' })],
    ['save metric', () => MetricsPageActions.saveMetric({ metric: { id: '2026-11-25', mood: 4, productivity: 3, notes: '', version: 1, lastModifiedAt: 1, lastModifiedBy: 'x' } })],
  ] as const) {
    it(`stamps what "${name}" changed`, () => {
      const before = state;
      dispatch(action());
      const changed = (['task', 'project', 'tag', 'metric'] as const).flatMap((type) =>
        Object.values(state[type].entities).filter((entity) => entity !== (before[type].entities as Record<string, unknown>)[entity!.id]),
      );
      expect(changed.length).toBeGreaterThan(0);
      for (const entity of changed) expect(entity).toEqual(jasmine.objectContaining({ lastModifiedAt: now, lastModifiedBy: 'this-device' }));
    });
  }

  it('turns a delete into removed entities without stamping what is gone', () => {
    dispatch(TaskPageActions.deleteTask({ id: 't1' }));
    expect(state.task.entities['t1']).toBeUndefined();
    expect(state.project.entities['p1']!.taskIds).toEqual(['t2']);
    expect(state.project.entities['p1']!.lastModifiedBy).toBe('this-device');
  });

  it('does not stamp entities applied from another device', () => {
    const remote = { ...state.task.entities['t1']!, title: 'From elsewhere', version: 7, lastModifiedAt: 123, lastModifiedBy: 'phone' };
    dispatch(RemoteEntitiesActions.remoteEntitiesApplied({ upsert: { task: [remote] }, remove: {} }));
    expect(state.task.entities['t1']).toBe(remote);
  });
});
