import { TestBed } from '@angular/core/testing';
import { createBackup } from '../../domain/backup/backup-format';
import { newTask } from '../../domain/entity-factories';
import { LocalDatabase } from '../../persistence/local-database';
import { APP_DB_NAME } from '../../persistence/persistence.tokens';
import { redactSettings } from './provider-settings';
import { RemotesService } from './remotes.service';

describe('credentials and exports', () => {
  const dbName = `credentials-${Date.now()}`;
  afterEach(async () => {
    await TestBed.inject(LocalDatabase).close();
    indexedDB.deleteDatabase(dbName);
  });

  it('keeps the WebDAV password and Dropbox tokens out of the export file and out of what may be shown', async () => {
    TestBed.configureTestingModule({ providers: [{ provide: APP_DB_NAME, useValue: dbName }] });
    const db = TestBed.inject(LocalDatabase);
    const remotes = TestBed.inject(RemotesService);
    const loaded = await db.load();
    const secret = 'Known-Password-31415';
    await remotes.saveSettings({ provider: 'webdav', url: 'https://dav.example/', username: 'alice', password: secret, folder: 'tasks', passphrase: 'Known-Passphrase-2718' });
    const task = newTask('t1', { title: 'Something' }, { now: 1, deviceId: loaded.deviceId });
    await db.writeEntities({ upsert: [{ type: 'task', entity: task }], remove: [] });
    const reloaded = await db.load();

    const exported = JSON.stringify(createBackup(reloaded.data, 1));
    expect(exported).toContain('Something');
    expect(exported).not.toContain(secret);
    expect(exported).not.toContain('Known-Passphrase-2718');

    expect(await remotes.loadSettings()).toEqual(jasmine.objectContaining({ password: secret }));
    const shown = JSON.stringify(redactSettings(await remotes.loadSettings()));
    expect(shown).toContain('alice');
    expect(shown).not.toContain(secret);

    const dropbox = JSON.stringify(redactSettings({ provider: 'dropbox', appKey: 'k', folder: '', accessToken: 'Access-Token-1', refreshToken: 'Refresh-Token-2', accessTokenExpiresAt: 0 }));
    expect(dropbox).not.toContain('Access-Token-1');
    expect(dropbox).not.toContain('Refresh-Token-2');
  });
});
