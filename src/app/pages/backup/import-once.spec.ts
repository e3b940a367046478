import { ApplicationRef } from '@angular/core';
import { createApplication } from '@angular/platform-browser';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { MemoryRemotes } from '../../../testing/memory-remotes';
import { appConfig } from '../../app.config';
import { selectAllTasks } from '../../domain/domain.selectors';
import { newProject, newTask } from '../../domain/entity-factories';
import { ProjectPageActions } from '../../domain/project/project.actions';
import { TaskPageActions } from '../../domain/task/task.actions';
import { APP_DB_NAME } from '../../persistence/persistence.tokens';
import { MemoryPersistence } from '../../sync/engine/replica/memory-persistence';
import { SyncEngine } from '../../sync/engine/sync-engine';
import { LocalWriter } from '../../sync/store/local-writer';
import { RemotesService } from '../../sync/store/remotes.service';
import { SyncRounds } from '../../sync/store/sync-rounds.service';
import { syncFeature } from '../../sync/store/sync.reducer';
import { BackupService } from './backup.service';

describe('importing a backup on a synced device', () => {
  const dbName = `import-once-${Date.now()}`;
  let app: ApplicationRef;
  beforeEach(() => MemoryRemotes.reset());
  afterEach(() => {
    app?.destroy();
    indexedDB.deleteDatabase(dbName);
  });

  it('replaces the data on the other devices after the one question in the import dialog, with no second mass-delete question', async () => {
    app = await createApplication({ providers: [...appConfig.providers, { provide: APP_DB_NAME, useValue: dbName }, { provide: RemotesService, useClass: MemoryRemotes }] });
    const store = app.injector.get(Store);
    const stamp = { now: Date.now(), deviceId: 'test' };
    store.dispatch(ProjectPageActions.addProject({ project: newProject('p', 'Work', '#3f51b5', stamp) }));
    for (let i = 0; i < 150; i++) store.dispatch(TaskPageActions.addTask({ task: newTask(`t${i}`, { title: `Task ${i}`, projectId: 'p' }, stamp) }));
    await app.injector.get(LocalWriter).whenIdle();
    expect(await app.injector.get(SyncRounds).requestSync('test')).toBe('synced');
    const other = await SyncEngine.open({ store: MemoryRemotes.remotes.get('memory://cas')!, persistence: new MemoryPersistence(), deviceName: 'other', mode: 'compare-and-swap' });
    await other.sync({ confirmMassDelete: true });
    expect(other.entities('task').length).toBe(150);

    // A backup with one project and two tasks: replacing deletes 148 tasks here and everywhere.
    const current = { task: await firstValueFrom(store.select(selectAllTasks)), project: [newProject('p', 'Work', '#3f51b5', stamp)], tag: [], metric: [] };
    const backup = { task: [newTask('t0', { title: 'Task 0', projectId: 'p' }, stamp), newTask('t1', { title: 'Task 1', projectId: 'p' }, stamp)], project: [{ ...newProject('p', 'Work', '#3f51b5', stamp), taskIds: ['t0', 't1'] }], tag: [], metric: [] };
    app.injector.get(BackupService).apply(current, backup, 'replace');

    const sync = () => firstValueFrom(store.select(syncFeature.selectSyncState));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !((await sync()).lastRound?.sent.task)) await new Promise((resolve) => setTimeout(resolve, 25));
    expect((await sync()).pendingMassDelete).toBeNull();
    expect((await sync()).lastRound?.status).toBe('synced');
    await other.sync({ confirmMassDelete: true });
    expect(other.entities('task').map((t) => t['title']).sort()).toEqual(['Task 0', 'Task 1']);
  });
});
