import { Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideStore, Store } from '@ngrx/store';
import { deleteDB } from 'idb';
import { firstValueFrom } from 'rxjs';
import { CLOCK } from '../domain/clock';
import { DomainState, domainReducers } from '../domain/domain-state';
import { selectDomainState } from '../domain/domain.selectors';
import { newProject, newTag, newTask } from '../domain/entity-factories';
import { ProjectPageActions } from '../domain/project/project.actions';
import { relationsMetaReducer } from '../domain/relations/relations.meta-reducer';
import { TagPageActions } from '../domain/tag/tag.actions';
import { TaskPageActions } from '../domain/task/task.actions';
import { DEVICE_ID_KEY, openAppDb } from './app-db';
import { LocalDatabase } from './local-database';
import { persistenceFeature, PersistenceState } from './persistence.reducer';
import { APP_DB_NAME } from './persistence.tokens';
import { LocalWriter } from '../sync/store/local-writer';
import { provideSync } from '../sync/store/provide-sync';
import { RemotesService } from '../sync/store/remotes.service';
import { TabCoordinator } from '../tabs/tab-coordinator.service';
import { WriteBatch } from './local-database';

const NOW = 1_750_000_000_000;
let dbName: string;

/** With sync off: what is tested here is the database alone. */
@Injectable()
class NoRemote extends RemotesService {
  override async loadSettings() {
    return null;
  }
}

/** Starts the app's store and persistence on `dbName`, as the app initializer does. A second call is a reload. */
async function boot() {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      provideStore({ ...domainReducers, persistence: persistenceFeature.reducer }, { metaReducers: [relationsMetaReducer] }),
      provideSync(),
      { provide: APP_DB_NAME, useValue: dbName },
      { provide: CLOCK, useValue: () => NOW },
      { provide: RemotesService, useClass: NoRemote },
    ],
  });
  await TestBed.inject(TabCoordinator).start();
  const store = TestBed.inject(Store);
  return {
    store,
    persister: TestBed.inject(LocalWriter),
    db: TestBed.inject(LocalDatabase),
    state: () => firstValueFrom(store.select(selectDomainState)) as Promise<DomainState>,
    status: () => firstValueFrom(store.select(persistenceFeature.selectPersistenceState)) as Promise<PersistenceState>,
  };
}

describe('IndexedDB persistence', () => {
  beforeEach(() => {
    dbName = `test-${Math.random().toString(36).slice(2)}`;
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDB(dbName);
  });

  it('keeps projects, tasks, subtasks and tags across a reload', async () => {
    const app = await boot();
    const deviceId = (await app.status()).deviceId!;
    const stamp = { now: NOW, deviceId };
    app.store.dispatch(ProjectPageActions.addProject({ project: newProject('p', 'Work', '#111111', stamp) }));
    app.store.dispatch(TagPageActions.addTag({ tag: newTag('x', 'urgent', '#222222', stamp) }));
    app.store.dispatch(TaskPageActions.addTask({ task: newTask('a', { title: 'Report', projectId: 'p', tagIds: ['x'] }, stamp) }));
    app.store.dispatch(TaskPageActions.addTask({ task: newTask('a1', { title: 'Numbers', parentId: 'a' }, stamp) }));
    await app.persister.whenIdle();
    const before = await app.state();

    const reloaded = await boot();
    const after = await reloaded.state();
    expect(after.project.entities).toEqual(before.project.entities);
    expect(after.task.entities).toEqual(before.task.entities);
    expect(after.tag.entities['x']!.taskIds).toEqual(['a']);
    expect(after.task.entities['a']!.subTaskIds).toEqual(['a1']);
    expect((await reloaded.status()).deviceId).toBe(deviceId);
  });

  it('writes only the entities an action batch changed, in one write', async () => {
    const app = await boot();
    const stamp = { now: NOW, deviceId: 'd' };
    app.store.dispatch(ProjectPageActions.addProject({ project: newProject('p', 'Work', '#111111', stamp) }));
    app.store.dispatch(ProjectPageActions.addProject({ project: newProject('q', 'Home', '#111111', stamp) }));
    await app.persister.whenIdle();

    const write = spyOn(app.db, 'writeBatch').and.callThrough();
    app.store.dispatch(ProjectPageActions.renameProject({ id: 'p', title: 'Job' }));
    app.store.dispatch(TaskPageActions.addTask({ task: newTask('a', { title: 'A', projectId: 'p' }, stamp) }));
    await app.persister.whenIdle();

    expect(write).toHaveBeenCalledTimes(1);
    const batch = write.calls.mostRecent().args[0] as WriteBatch;
    expect(batch.upsert.map(({ type, entity }) => `${type}:${entity.id}`).sort()).toEqual(['project:p', 'task:a']);
    expect(batch.remove).toEqual([]);
    // The sync engine's records of the same two entities, in the same transaction.
    expect(batch.sync?.records.map(({ type, id }) => `${type}:${id}`).sort()).toEqual(['project:p', 'task:a']);
  });

  it('removes deleted entities from the database', async () => {
    const app = await boot();
    const stamp = { now: NOW, deviceId: 'd' };
    app.store.dispatch(ProjectPageActions.addProject({ project: newProject('p', 'Work', '#111111', stamp) }));
    app.store.dispatch(TaskPageActions.addTask({ task: newTask('a', { title: 'A', projectId: 'p' }, stamp) }));
    app.store.dispatch(TaskPageActions.addTask({ task: newTask('a1', { title: 'A1', parentId: 'a' }, stamp) }));
    await app.persister.whenIdle();
    app.store.dispatch(TaskPageActions.deleteTask({ id: 'a' }));
    await app.persister.whenIdle();

    const reloaded = await (await boot()).state();
    expect(reloaded.task.ids).toEqual([]);
    expect(reloaded.project.entities['p']!.taskIds).toEqual([]);
  });

  it('reports a failed write in the store and writes the change with the next successful one', async () => {
    const app = await boot();
    const stamp = { now: NOW, deviceId: 'd' };
    const write = spyOn(app.db, 'writeBatch').and.returnValue(Promise.reject(new DOMException('disk full', 'QuotaExceededError')));
    spyOn(console, 'error');
    app.store.dispatch(ProjectPageActions.addProject({ project: newProject('p', 'Work', '#111111', stamp) }));
    await app.persister.whenIdle();
    const failed = await app.status();
    expect(failed.saveStatus).toBe('error');
    expect(failed.writeError).toContain('storage quota exceeded');

    write.and.callThrough();
    app.store.dispatch(ProjectPageActions.addProject({ project: newProject('q', 'Home', '#111111', stamp) }));
    await app.persister.whenIdle();
    expect((await app.status()).saveStatus).toBe('saved');
    const reloaded = await (await boot()).state();
    expect(reloaded.project.ids).toEqual(['p', 'q']);
  });

  it('migrates stored data without sync metadata on first load and writes it back', async () => {
    const raw = await openAppDb(dbName);
    const { version: _v, lastModifiedAt: _l, lastModifiedBy: _b, ...legacyTask } = newTask('old', { title: 'Legacy' }, { now: 5, deviceId: 'x' });
    await raw.put('task', { ...legacyTask, created: 1000 } as never);
    const { version: _pv, lastModifiedAt: _pl, lastModifiedBy: _pb, ...legacyProject } = newProject('p', 'Legacy', '#000000', { now: 5, deviceId: 'x' });
    await raw.put('project', legacyProject as never);
    raw.close();

    const app = await boot();
    const deviceId = (await app.status()).deviceId!;
    const state = await app.state();
    expect(state.task.entities['old']).toEqual(jasmine.objectContaining({ version: 1, lastModifiedAt: 1000, lastModifiedBy: deviceId }));
    expect(state.project.entities['p']).toEqual(jasmine.objectContaining({ version: 1, lastModifiedAt: NOW, lastModifiedBy: deviceId }));

    const check = await openAppDb(dbName);
    expect(await check.get('task', 'old')).toEqual(jasmine.objectContaining({ version: 1, lastModifiedBy: deviceId }));
    expect(await check.get('settings', DEVICE_ID_KEY)).toBe(deviceId);
    check.close();
  });

  it('keeps databases with different names apart', async () => {
    const first = await boot();
    first.store.dispatch(ProjectPageActions.addProject({ project: newProject('p', 'Work', '#111111', { now: NOW, deviceId: 'd' }) }));
    await first.persister.whenIdle();
    const firstName = dbName;
    const firstDevice = (await first.status()).deviceId;

    dbName = `${firstName}-other`;
    const other = await boot();
    expect((await other.state()).project.ids).toEqual([]);
    expect((await other.status()).deviceId).not.toBe(firstDevice);
    TestBed.resetTestingModule();
    await deleteDB(firstName);
  });
});
