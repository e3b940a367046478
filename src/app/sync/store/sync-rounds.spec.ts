import { createApplication } from '@angular/platform-browser';
import { ApplicationRef } from '@angular/core';
import { Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { appConfig } from '../../app.config';
import { selectTaskEntities } from '../../domain/domain.selectors';
import { newTask } from '../../domain/entity-factories';
import { TaskPageActions } from '../../domain/task/task.actions';
import { APP_DB_NAME } from '../../persistence/persistence.tokens';
import { MemoryRemote } from '../engine/remote/memory-remote';
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

describe('sync rounds in the app: one remote per round, and everything a round merged reaches the store', () => {
  let dbName: string;
  const apps: ApplicationRef[] = [];
  beforeEach(() => {
    dbName = `switch-${Math.random().toString(36).slice(2)}`;
    MemoryRemotes.reset();
  });
  afterEach(() => {
    for (const app of apps.splice(0)) app.destroy();
    indexedDB.deleteDatabase(dbName);
    MemoryRemotes.reset();
  });

  it('the running round ends on the remote it began with, and the new remote keeps what another device had stored there', async () => {
    // Another device syncs through a server that ignores If-Match (as nginx does).
    const lockRemote = new MemoryRemote({ honoursConditions: false });
    MemoryRemotes.remotes.set('memory://lock', lockRemote);
    const other = await SyncEngine.open({ store: lockRemote, persistence: new MemoryPersistence(), deviceName: 'other', mode: 'lock' });
    await other.applyLocalChanges([{ type: 'task', id: 'theirs', entity: { ...newTask('theirs', { title: 'Stored by the other device' }, { now: Date.now(), deviceId: 'other' }) } }]);
    expect((await other.sync()).status).toBeDefined();

    const app = await start(dbName);
    apps.push(app);
    const store = app.injector.get(Store);
    const rounds = app.injector.get(SyncRounds);
    const connection = app.injector.get(SyncConnection);
    expect(await rounds.requestSync('test')).toBe('synced');

    // A round on memory://cas is held at its upload; meanwhile the person connects memory://lock.
    store.dispatch(TaskPageActions.addTask({ task: newTask('mine', { title: 'Made here' }, { now: Date.now(), deviceId: 'test' }) }));
    await app.injector.get(LocalWriter).whenIdle();
    const { reached, release } = MemoryRemotes.holdAt('memory://cas write deltas/');
    // Where the held round's requests end (the round asked for by the connection follows at once).
    const engine = app.injector.get(SyncEngineHost).engine!;
    const sync = engine.sync.bind(engine);
    const ends: number[] = [];
    spyOn(engine, 'sync').and.callFake(async (options) => {
      try {
        return await sync(options);
      } finally {
        ends.push(MemoryRemotes.requests.length);
      }
    });
    const held = rounds.requestSync('test');
    await reached;
    await connection.submit({ provider: 'webdav', url: 'memory://lock', username: '', password: '', folder: 'f' });
    const deadline = Date.now() + 5_000;
    while (connection.view?.url !== 'memory://lock' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(connection.view?.url).toBe('memory://lock');

    const fromSwitch = MemoryRemotes.requests.length;
    release();
    expect(await held).toBe('synced');
    const heldRoundRequests = MemoryRemotes.requests.slice(fromSwitch, ends[0]);
    expect(heldRoundRequests).toContain('memory://cas write meta.json');
    expect(heldRoundRequests.filter((request) => !request.startsWith('memory://cas '))).toEqual([]);

    // The next round is on the new remote: both tasks are there, here and on the other device.
    expect(await rounds.requestSync('test')).toBe('synced');
    await other.sync();
    expect(other.entity('task', 'theirs')?.['title']).toBe('Stored by the other device');
    expect(other.entity('task', 'mine')?.['title']).toBe('Made here');
    await app.injector.get(LocalWriter).whenIdle();
    const tasks = await firstValueFrom(store.select(selectTaskEntities));
    expect(tasks['theirs']?.title).toBe('Stored by the other device');
    expect(tasks['mine']?.title).toBe('Made here');
  });

  it('a sync asked for while a round runs answers when a round that began after the request is done, so what was there then is on the remote', async () => {
    const app = await start(dbName);
    apps.push(app);
    const store = app.injector.get(Store);
    const rounds = app.injector.get(SyncRounds);
    expect(await rounds.requestSync('test')).toBe('synced');

    store.dispatch(TaskPageActions.addTask({ task: newTask('first', { title: 'First' }, { now: Date.now(), deviceId: 'test' }) }));
    await app.injector.get(LocalWriter).whenIdle();
    const { reached, release } = MemoryRemotes.holdAt('memory://cas write deltas/');
    const running = rounds.requestSync('test');
    await reached;
    // The person edits again and asks for a sync while the round is at its upload.
    store.dispatch(TaskPageActions.addTask({ task: newTask('second', { title: 'Second' }, { now: Date.now(), deviceId: 'test' }) }));
    await app.injector.get(LocalWriter).whenIdle();
    const asked = rounds.requestSync('sync now');
    release();
    expect(await running).toBe('synced');
    expect(await asked).toBe('synced');

    const reader = await SyncEngine.open({ store: MemoryRemotes.remotes.get('memory://cas')!, persistence: new MemoryPersistence(), deviceName: 'reader', mode: 'compare-and-swap' });
    await reader.sync();
    expect(reader.entity('task', 'first')?.['title']).toBe('First');
    expect(reader.entity('task', 'second')?.['title']).toBe('Second');
  });

  it('a round that fails after merging what another device sent shows it all the same', async () => {
    const app = await start(dbName);
    apps.push(app);
    const store = app.injector.get(Store);
    const rounds = app.injector.get(SyncRounds);
    expect(await rounds.requestSync('test')).toBe('synced');
    const other = await SyncEngine.open({ store: MemoryRemotes.remotes.get('memory://cas')!, persistence: new MemoryPersistence(), deviceName: 'other', mode: 'compare-and-swap' });
    await other.applyLocalChanges([{ type: 'task', id: 'theirs', entity: { ...newTask('theirs', { title: 'From the phone' }, { now: Date.now(), deviceId: 'other' }) } }]);
    await other.sync();

    // This device's own upload fails after the round merged the phone's task.
    store.dispatch(TaskPageActions.addTask({ task: newTask('mine', { title: 'Made here' }, { now: Date.now(), deviceId: 'test' }) }));
    await app.injector.get(LocalWriter).whenIdle();
    MemoryRemotes.failing = 'memory://cas write deltas/';
    expect(await rounds.requestSync('test')).toBe('failed');
    await app.injector.get(LocalWriter).whenIdle();
    expect((await firstValueFrom(store.select(selectTaskEntities)))['theirs']?.title).toBe('From the phone');
    MemoryRemotes.failing = null;
  });
});
