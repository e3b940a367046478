import { ApplicationRef, EnvironmentInjector, Injectable } from '@angular/core';
import { createApplication } from '@angular/platform-browser';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { appConfig } from '../../app.config';
import { newProject, newTask } from '../../domain/entity-factories';
import { selectAllTasks } from '../../domain/domain.selectors';
import { ProjectPageActions } from '../../domain/project/project.actions';
import { TaskPageActions } from '../../domain/task/task.actions';
import { APP_DB_NAME } from '../../persistence/persistence.tokens';
import { LocalWriter } from './local-writer';
import { MemoryRemote } from '../engine/remote/memory-remote';
import { RemoteStore } from '../engine/remote/remote-store';
import { ProviderSettings } from './provider-settings';
import { RemotesService } from './remotes.service';
import { FOREGROUND_POLL_MS } from './sync.effects';

/** Every instance syncs to the same in-memory remote, as two devices to one WebDAV folder. */
@Injectable()
class SharedMemoryRemotes extends RemotesService {
  static remote = new MemoryRemote();
  override async loadSettings(): Promise<ProviderSettings> {
    return { provider: 'webdav', url: 'memory://shared', username: '', password: '', folder: 'test', mode: 'compare-and-swap' };
  }
  override createStore(): RemoteStore {
    return SharedMemoryRemotes.remote;
  }
}

async function startInstance(dbName: string): Promise<ApplicationRef> {
  return createApplication({
    providers: [
      ...appConfig.providers,
      { provide: APP_DB_NAME, useValue: dbName },
      { provide: RemotesService, useClass: SharedMemoryRemotes },
      { provide: FOREGROUND_POLL_MS, useValue: 300 },
    ],
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - start;
}

describe('two complete app instances', () => {
  const apps: ApplicationRef[] = [];
  const names = [`two-apps-a-${Date.now()}`, `two-apps-b-${Date.now()}`];

  beforeEach(() => (SharedMemoryRemotes.remote = new MemoryRemote()));
  afterEach(async () => {
    for (const app of apps.splice(0)) app.destroy();
    for (const name of names) indexedDB.deleteDatabase(name);
  });

  it('shows an edit made on one instance on the other, with no action on the other, within the debounce plus one round', async () => {
    const [a, b] = await Promise.all(names.map(startInstance));
    apps.push(a, b);
    const storeA = a.injector.get(Store);
    const storeB = b.injector.get(Store);
    const stamp = { now: Date.now(), deviceId: 'test' };
    storeA.dispatch(ProjectPageActions.addProject({ project: newProject('p1', 'Work', '#3f51b5', stamp) }));
    storeA.dispatch(TaskPageActions.addTask({ task: newTask('t1', { title: 'Written on A', projectId: 'p1' }, stamp) }));
    const tasksOnB = async () => (await firstValueFrom(storeB.select(selectAllTasks))).map((task) => task.title);
    const waited = await until(async () => (await tasksOnB()).includes('Written on A'), 8_000);
    expect(waited).toBeLessThan(2_000 + 300 + 3_000);

    storeB.dispatch(TaskPageActions.updateTask({ id: 't1', changes: { notes: 'Noted on B' } }));
    storeA.dispatch(TaskPageActions.setTaskDone({ id: 't1', isDone: true, doneOn: Date.now() }));
    await until(async () => {
      const [onA] = await firstValueFrom(storeA.select(selectAllTasks));
      const [onB] = await firstValueFrom(storeB.select(selectAllTasks));
      return onA?.notes === 'Noted on B' && onA.isDone && onB?.notes === 'Noted on B' && onB.isDone === true;
    }, 10_000);
    // Both instances stored what they show.
    await (a.injector as EnvironmentInjector).get(LocalWriter).whenIdle();
    await (b.injector as EnvironmentInjector).get(LocalWriter).whenIdle();
  }, 30_000);
});
