import { ApplicationRef, Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { createApplication } from '@angular/platform-browser';
import { ActionsSubject, Store } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import { appConfig } from '../../app.config';
import { createBackup } from '../../domain/backup/backup-format';
import { newTask } from '../../domain/entity-factories';
import { LocalDatabase } from '../../persistence/local-database';
import { APP_DB_NAME } from '../../persistence/persistence.tokens';
import { MemoryRemote } from '../engine/remote/memory-remote';
import { RemoteStore } from '../engine/remote/remote-store';
import { connectionView, ProviderSettings } from './provider-settings';
import { RemotesService } from './remotes.service';
import { SyncConnection } from './sync-connection.service';

const SECRET = 'Known-Password-31415';
const PASSPHRASE = 'Known-Passphrase-2718';

@Injectable()
class MemoryRemotes extends RemotesService {
  override createStore(): RemoteStore {
    return new MemoryRemote();
  }
}

describe('credentials and exports', () => {
  const dbName = `credentials-${Date.now()}`;
  afterEach(async () => {
    indexedDB.deleteDatabase(dbName);
  });

  it('keeps the WebDAV password and Dropbox tokens out of the export file and out of what may be shown', async () => {
    TestBed.configureTestingModule({ providers: [{ provide: APP_DB_NAME, useValue: dbName }] });
    const db = TestBed.inject(LocalDatabase);
    const remotes = TestBed.inject(RemotesService);
    const loaded = await db.load();
    await remotes.saveSettings({ provider: 'webdav', url: 'https://dav.example/', username: 'alice', password: SECRET, folder: 'tasks', passphrase: PASSPHRASE });
    const task = newTask('t1', { title: 'Something' }, { now: 1, deviceId: loaded.deviceId });
    await db.writeBatch({ upsert: [{ type: 'task', entity: task }], remove: [] });
    const reloaded = await db.load();

    const exported = JSON.stringify(createBackup(reloaded.data, 1));
    expect(exported).toContain('Something');
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain(PASSPHRASE);

    expect(await remotes.loadSettings()).toEqual(jasmine.objectContaining({ password: SECRET }));
    const shown = JSON.stringify(connectionView(await remotes.loadSettings()));
    expect(shown).toContain('alice');
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(PASSPHRASE);

    const dropbox = JSON.stringify(connectionView({ provider: 'dropbox', appKey: 'k', folder: '', accessToken: 'Access-Token-1', refreshToken: 'Refresh-Token-2', accessTokenExpiresAt: 0 }));
    expect(dropbox).not.toContain('Access-Token-1');
    expect(dropbox).not.toContain('Refresh-Token-2');
    await db.close();
  });

  it('never puts a password, passphrase or token into the app state, from start-up or from saving a connection', async () => {
    // Stored before start: the state the app starts with must not carry them either.
    const settings: ProviderSettings = { provider: 'webdav', url: 'memory://a', username: 'alice', password: SECRET, folder: 'tasks', passphrase: PASSPHRASE, mode: 'compare-and-swap' };
    TestBed.configureTestingModule({ providers: [{ provide: APP_DB_NAME, useValue: dbName }] });
    await TestBed.inject(RemotesService).saveSettings(settings);
    await TestBed.inject(LocalDatabase).close();
    TestBed.resetTestingModule();

    const app: ApplicationRef = await createApplication({ providers: [...appConfig.providers, { provide: APP_DB_NAME, useValue: dbName }, { provide: RemotesService, useClass: MemoryRemotes }] });
    try {
      const store = app.injector.get(Store);
      // Every action, as devtools or an error reporter would see them.
      const actions: string[] = [];
      app.injector.get(ActionsSubject).subscribe((action) => actions.push(JSON.stringify(action)));
      const state = async () => JSON.stringify(await firstValueFrom(store.select((s) => s)));
      expect(await state()).toContain('alice');
      expect(await state()).not.toContain(SECRET);
      expect(await state()).not.toContain(PASSPHRASE);

      const dropbox: ProviderSettings = { provider: 'dropbox', appKey: 'k', folder: '/tasks', accessToken: 'Access-Token-1', refreshToken: 'Refresh-Token-2', accessTokenExpiresAt: 0, mode: 'compare-and-swap' };
      await app.injector.get(SyncConnection).submit(dropbox);
      const deadline = Date.now() + 5_000;
      while (!(await state()).includes('"provider":"dropbox"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const after = await state();
      expect(after).toContain('"provider":"dropbox"');
      expect(after).not.toContain('Access-Token-1');
      expect(after).not.toContain('Refresh-Token-2');
      expect(after).not.toContain(SECRET);
      expect(actions.length).toBeGreaterThan(0);
      for (const secret of ['Access-Token-1', 'Refresh-Token-2', SECRET, PASSPHRASE]) expect(actions.join('\n')).not.toContain(secret);
    } finally {
      app.destroy();
    }
  });
});
