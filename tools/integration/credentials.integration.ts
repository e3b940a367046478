/**
 * The password a person types never leaves this device: it is not in the synced files, not in
 * what is logged, not in error messages. (Exports are checked in the app's Karma tests.)
 */
import { gunzip, isGzip } from '../../src/app/sync/engine/remote/codec';
import { MemoryPersistence } from '../../src/app/sync/engine/replica/memory-persistence';
import { probeCommitMode } from '../../src/app/sync/engine/remote/probe';
import { SyncEngine } from '../../src/app/sync/engine/sync-engine';
import { task } from '../../src/app/sync/engine/testing/harness';
import { WebDavProvider } from '../../src/app/sync/providers/webdav.provider';
import { WEBDAV_SERVER_V2_PASSWORD, WEBDAV_SERVER_V2_USER } from '../servers/webdav-server-v2';
import { localServers } from './local-servers';
import { uniqueFolder } from './providers';

describe('credentials stay on the device', () => {
  it('appear in no synced file, no log line and no error message', async () => {
    const logged: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spyOn(console, level).and.callFake((...args: unknown[]) => void logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')));
    }
    const { webdavServer } = await localServers();
    const folder = uniqueFolder('credentials');
    const settings = { url: webdavServer.url, username: WEBDAV_SERVER_V2_USER, password: WEBDAV_SERVER_V2_PASSWORD, folder };
    const store = new WebDavProvider(settings);
    const mode = (await probeCommitMode(store)).mode;
    const persistence = new MemoryPersistence();
    const a = await SyncEngine.open({ store, persistence, deviceName: 'Laptop', mode });
    const b = await SyncEngine.open({ store: new WebDavProvider(settings), persistence: new MemoryPersistence(), deviceName: 'Phone', mode });
    await a.applyLocalChanges([{ type: 'task', id: 't1', entity: task('t1', { title: 'Pay the rent' }) }]);
    await a.sync();
    await b.sync();
    expect(b.entity('task', 't1')!['title']).toBe('Pay the rent');

    const wrong = await SyncEngine.open({ store: new WebDavProvider({ ...settings, password: 'Wrong-Secret-Passphrase-7' }), persistence: new MemoryPersistence(), mode });
    const error = await wrong.sync().then(() => null, (e: unknown) => e as Error & { details?: unknown });
    expect(error).not.toBeNull();
    const errorText = `${error!.message} ${JSON.stringify(error)} ${JSON.stringify(error!.details ?? {})} ${error!.stack}`;

    const remoteText: string[] = [];
    for (const sub of ['', 'deltas', 'snapshots']) {
      for (const entry of await store.list(sub)) {
        const read = await store.read(entry.path.replace(/^\/+/, ''));
        if (read.status !== 'ok') continue;
        remoteText.push(new TextDecoder().decode(isGzip(read.data) ? await gunzip(read.data) : read.data));
      }
    }
    expect(remoteText.join('\n')).toContain('Pay the rent');
    const stored = JSON.stringify(await persistence.load());
    for (const [where, text] of [['synced files', remoteText.join('\n')], ['log', logged.join('\n')], ['error message', errorText], ['local sync state', stored]] as const) {
      expect(text).withContext(where).not.toContain(WEBDAV_SERVER_V2_PASSWORD);
      expect(text).withContext(where).not.toContain('Wrong-Secret-Passphrase-7');
    }
  });
});
