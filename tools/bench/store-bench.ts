/**
 * What the NgRx side of the sync costs (issue 5): the stamping meta-reducer per action with
 * 10,000 tasks in the store, and applying 10,000 incoming entities as one remote action. Runs the
 * app's real reducers (domain + relations + stamping) in Node; prints medians of many runs.
 */
// NgRx ships Angular partial declarations: Node needs the JIT compiler to load it.
import '@angular/compiler';
import { Action, ActionReducer, combineReducers } from '@ngrx/store';
import { PersistenceActions, RemoteEntitiesActions } from '../../src/app/domain/app-data.actions';
import { domainReducers, DomainState } from '../../src/app/domain/domain-state';
import { newProject, newTask } from '../../src/app/domain/entity-factories';
import { relationsMetaReducer } from '../../src/app/domain/relations/relations.meta-reducer';
import { TaskPageActions } from '../../src/app/domain/task/task.actions';
import { PersistenceStatusActions } from '../../src/app/persistence/persistence.actions';
import { persistenceFeature } from '../../src/app/persistence/persistence.reducer';
import { syncStampingMetaReducer } from '../../src/app/sync/store/sync-stamping.meta-reducer';
import { median } from './median';

type Root = DomainState & { persistence: ReturnType<typeof persistenceFeature.reducer> };

export interface StoreBenchResult {
  readonly tasks: number;
  /** Median ms the stamping meta-reducer itself adds to one local action (update one task). */
  readonly stampingPerAction: number;
  /** Median ms of the same action through the domain reducers and relations alone (NgRx entity's own cost). */
  readonly domainReducersPerAction: number;
  /** Median ms of applying `tasks` incoming tasks as one remote-entities action (reducers + stamping check). */
  readonly applyIncoming: number;
}


function build(withStamping: boolean, tasks: number): { reducer: ActionReducer<Root, Action>; state: Root } {
  const base = combineReducers({ ...domainReducers, persistence: persistenceFeature.reducer }) as unknown as ActionReducer<Root, Action>;
  const relational = relationsMetaReducer(base);
  const reducer = withStamping ? syncStampingMetaReducer(() => Date.now())(relational) : relational;
  const stamp = { now: 1, deviceId: 'bench' };
  const projects = Array.from({ length: 20 }, (_, i) => ({ ...newProject(`p${i}`, `Project ${i}`, '#000', stamp), taskIds: [] as string[] }));
  const list = Array.from({ length: tasks }, (_, i) => {
    const project = projects[i % 20];
    project.taskIds.push(`t${i}`);
    return newTask(`t${i}`, { title: `Task ${i}`, projectId: project.id }, stamp);
  });
  let state = reducer(undefined, { type: '@@init' });
  state = reducer(state, PersistenceStatusActions.deviceIdentified({ deviceId: 'bench', dbName: 'bench' }));
  state = reducer(state, PersistenceActions.stateLoaded({ data: { task: list, project: projects, tag: [], metric: [] } }));
  return { reducer, state };
}

export function runStoreBench(tasks = 10_000, repeats = 301): StoreBenchResult {
  const { reducer: domainOnly } = build(false, tasks);
  let { state } = build(false, tasks);
  const stamping = syncStampingMetaReducer(() => Date.now());
  const reducerTimes: number[] = [];
  const stampTimes: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const action = TaskPageActions.updateTask({ id: `t${(i * 37) % tasks}`, changes: { title: `Renamed ${i}` } });
    let start = performance.now();
    const next = domainOnly(state, action);
    reducerTimes.push(performance.now() - start);
    // The meta-reducer alone, around a reducer that returns the already computed next state.
    const wrapped = stamping<Root>(() => next);
    start = performance.now();
    state = wrapped(state, action);
    stampTimes.push(performance.now() - start);
  }

  const { reducer, state: loaded } = build(true, tasks);
  const incoming = Object.values(loaded.task.entities).map((task) => ({ ...task!, title: `${task!.title} (from phone)`, version: task!.version + 1 }));
  const applyTimes: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    reducer(loaded, RemoteEntitiesActions.remoteEntitiesApplied({ upsert: { task: incoming }, remove: {} }));
    applyTimes.push(performance.now() - start);
  }
  return { tasks, stampingPerAction: median(stampTimes), domainReducersPerAction: median(reducerTimes), applyIncoming: median(applyTimes) };
}

if (process.argv[1]?.endsWith('store-bench.ts')) {
  const result = runStoreBench();
  console.log(JSON.stringify(result, null, 2));
}
