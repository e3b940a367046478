import { ApplicationRef } from '@angular/core';
import { createApplication } from '@angular/platform-browser';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { appConfig } from '../../app.config';
import { selectTaskEntities } from '../../domain/domain.selectors';
import { newProject, newTask } from '../../domain/entity-factories';
import { ProjectPageActions } from '../../domain/project/project.actions';
import { TaskPageActions } from '../../domain/task/task.actions';
import { APP_DB_NAME } from '../../persistence/persistence.tokens';
import { MemoryPersistence } from '../engine/replica/memory-persistence';
import { SyncEngine } from '../engine/sync-engine';
import { MemoryRemotes } from '../../../testing/memory-remotes';
import { LocalWriter } from './local-writer';
import { RemotesService } from './remotes.service';
import { SyncConnection } from './sync-connection.service';
import { SyncEngineHost } from './sync-engine-host.service';
import { SyncRounds } from './sync-rounds.service';

const start = (dbName: string) =>
  createApplication({ providers: [...appConfig.providers, { provide: APP_DB_NAME, useValue: dbName }, { provide: RemotesService, useClass: MemoryRemotes }] });

describe('local and remote changes in the app', () => {
  let dbName: string;
  const apps: ApplicationRef[] = [];
  beforeEach(() => {
    dbName = `writer-${Math.random().toString(36).slice(2)}`;
    MemoryRemotes.remotes = new Map();
    MemoryRemotes.requests = [];
  });
  afterEach(() => {
    for (const app of apps.splice(0)) app.destroy();
    indexedDB.deleteDatabase(dbName);
  });

  it('a local edit made while a round brings a remote update of the same task keeps both, here, on disk and on the other device', async () => {
    const app = await start(dbName);
    apps.push(app);
    const store = app.injector.get(Store);
    const rounds = app.injector.get(SyncRounds);
    const stamp = { now: Date.now(), deviceId: 'test' };
    store.dispatch(ProjectPageActions.addProject({ project: newProject('p1', 'Work', '#3f51b5', stamp) }));
    store.dispatch(TaskPageActions.addTask({ task: newTask('t1', { title: 'Draft', projectId: 'p1' }, stamp) }));
    await app.injector.get(LocalWriter).whenIdle();
    expect(await rounds.requestSync('test')).toBe('synced');

    // The other device adds notes to the task.
    const other = await SyncEngine.open({ store: MemoryRemotes.remotes.get('memory://cas')!, persistence: new MemoryPersistence(), deviceName: 'other', mode: 'compare-and-swap' });
    await other.sync();
    const theirs = other.entity('task', 't1')!;
    await other.applyLocalChanges([{ type: 'task', id: 't1', entity: { ...theirs, notes: 'from the other device' }, before: theirs }]);
    await other.sync();

    // The person renames the task the moment the round has its result and before it is applied:
    // the edit is in the store, not yet recorded (that happens in a microtask).
    const engine = app.injector.get(SyncEngineHost).engine!;
    const sync = engine.sync.bind(engine);
    spyOn(engine, 'sync').and.callFake(async (options) => {
      const result = await sync(options);
      store.dispatch(TaskPageActions.updateTask({ id: 't1', changes: { title: 'Final' } }));
      return result;
    });
    expect(await rounds.requestSync('test')).toBe('synced');
    const shown = (await firstValueFrom(store.select(selectTaskEntities)))['t1']!;
    expect(shown.title).toBe('Final');
    expect(shown.notes).toBe('from the other device');

    await app.injector.get(LocalWriter).whenIdle();
    expect(await rounds.requestSync('test')).toBe('synced');
    await other.sync();
    expect(other.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'Final', notes: 'from the other device' }));

    // And after a restart.
    app.destroy();
    apps.splice(0);
    const again = await start(dbName);
    apps.push(again);
    const reloaded = (await firstValueFrom(again.injector.get(Store).select(selectTaskEntities)))['t1']!;
    expect(reloaded.title).toBe('Final');
    expect(reloaded.notes).toBe('from the other device');
  });

  it('a local edit dispatched in the same task as a remote update is recorded before the update is applied', async () => {
    const app = await start(dbName);
    apps.push(app);
    const store = app.injector.get(Store);
    const writer = app.injector.get(LocalWriter);
    const stamp = { now: Date.now(), deviceId: 'test' };
    store.dispatch(TaskPageActions.addTask({ task: newTask('t1', { title: 'Draft' }, stamp) }));
    await writer.whenIdle();
    expect(await app.injector.get(SyncRounds).requestSync('test')).toBe('synced');
    const other = await SyncEngine.open({ store: MemoryRemotes.remotes.get('memory://cas')!, persistence: new MemoryPersistence(), deviceName: 'other', mode: 'compare-and-swap' });
    await other.sync();
    const theirs = other.entity('task', 't1')!;
    await other.applyLocalChanges([{ type: 'task', id: 't1', entity: { ...theirs, notes: 'from the other device' }, before: theirs }]);
    await other.sync();

    // No microtask between the edit and the application: only the writer's own capture can record it.
    const apply = writer.applyEngineChanges.bind(writer);
    spyOn(writer, 'applyEngineChanges').and.callFake((changes) => {
      store.dispatch(TaskPageActions.updateTask({ id: 't1', changes: { title: 'Final' } }));
      apply(changes);
    });
    expect(await app.injector.get(SyncRounds).requestSync('test')).toBe('synced');
    expect((await firstValueFrom(store.select(selectTaskEntities)))['t1']).toEqual(jasmine.objectContaining({ title: 'Final', notes: 'from the other device' }));
    await writer.whenIdle();
    expect(app.injector.get(SyncEngineHost).engine!.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'Final', notes: 'from the other device' }));
  });

  it('repairs what a merge left inconsistent as the engine does, so a restart finds nothing to sync', async () => {
    const app = await start(dbName);
    apps.push(app);
    const store = app.injector.get(Store);
    const stamp = { now: Date.now(), deviceId: 'test' };
    store.dispatch(ProjectPageActions.addProject({ project: newProject('p', 'Home', '#3f51b5', stamp) }));
    store.dispatch(ProjectPageActions.addProject({ project: newProject('q', 'Work', '#3f51b5', stamp) }));
    store.dispatch(TaskPageActions.addTask({ task: newTask('a', { title: 'Parent', projectId: 'p' }, stamp) }));
    store.dispatch(TaskPageActions.addTask({ task: newTask('a1', { title: 'Child', parentId: 'a' }, stamp) }));
    await app.injector.get(LocalWriter).whenIdle();
    expect(await app.injector.get(SyncRounds).requestSync('test')).toBe('synced');

    // Another client moves only the parent (its subtask's own record still says project p).
    const other = await SyncEngine.open({ store: MemoryRemotes.remotes.get('memory://cas')!, persistence: new MemoryPersistence(), deviceName: 'other', mode: 'compare-and-swap' });
    await other.sync();
    const parent = other.entity('task', 'a')!;
    await other.applyLocalChanges([{ type: 'task', id: 'a', entity: { ...parent, projectId: 'q' }, before: parent }]);
    await other.sync();
    expect(await app.injector.get(SyncRounds).requestSync('test')).toBe('synced');
    await app.injector.get(LocalWriter).whenIdle();
    expect((await firstValueFrom(store.select(selectTaskEntities)))['a1']!.projectId).toBe('q');

    app.destroy();
    apps.splice(0);
    const again = await start(dbName);
    apps.push(again);
    expect(again.injector.get(SyncEngineHost).engine!.hasUnsyncedChanges()).toBe(false);
    expect((await firstValueFrom(again.injector.get(Store).select(selectTaskEntities)))['a1']!.projectId).toBe('q');
  });

  it('probes each newly connected remote: from one that compares and swaps to a lock-mode server and back, the lock file is used only on the lock-mode one', async () => {
    const app = await start(dbName);
    apps.push(app);
    const store = app.injector.get(Store);
    const rounds = app.injector.get(SyncRounds);
    const connection = app.injector.get(SyncConnection);
    const engine = () => app.injector.get(SyncEngineHost).engine!;
    let n = 0;
    const editAndSync = async () => {
      store.dispatch(TaskPageActions.addTask({ task: newTask(`m${++n}`, { title: `Task ${n}` }, { now: Date.now(), deviceId: 'test' }) }));
      await app.injector.get(LocalWriter).whenIdle();
      MemoryRemotes.requests = [];
      expect(await rounds.requestSync('test')).toBe('synced');
      return MemoryRemotes.requests.filter((request) => request.includes('lock.json'));
    };
    const onCas = (requests: string[]) => requests.filter((request) => request.startsWith('memory://cas '));
    const connect = async (url: string) => {
      await connection.submit({ provider: 'webdav', url, username: '', password: '', folder: 'f' });
      const deadline = Date.now() + 5_000;
      while (connection.view?.url !== url && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(connection.view?.url).toBe(url);
    };

    expect(onCas(await editAndSync())).toEqual([]);
    expect(engine().mode).toBe('compare-and-swap');

    await connect('memory://lock');
    expect(await editAndSync()).toContain('memory://lock write lock.json');
    expect(connection.mode).toBe('lock');
    expect(engine().mode).toBe('lock');

    await connect('memory://cas');
    // (A lock-mode round running when the connection changed ends on memory://lock.)
    expect(onCas(await editAndSync())).toEqual([]);
    expect(connection.mode).toBe('compare-and-swap');
    expect(engine().mode).toBe('compare-and-swap');
  });
});
