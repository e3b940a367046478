import { WebDavProvider } from '../../src/app/sync/providers/webdav.provider';
import { WEBDAV_SERVER_V2_PASSWORD, WEBDAV_SERVER_V2_USER } from '../servers/webdav-server-v2';
import { urlOfAServerThatIsDown } from './closed-port';
import { localServers } from './local-servers';
import { uniqueFolder, webDavServerTargets } from './providers';
import { failure } from './sync-failure';

const bytes = new TextEncoder().encode('{"v":1}');

describe('WebDAV provider against the built-in servers: errors, folders, ETags', () => {
  afterEach(async () => (await localServers()).nephele.faults.clear());

  it('reports a wrong password as auth (401) and never repeats the password', async () => {
    const { webdavServer } = await localServers();
    const store = new WebDavProvider({ url: webdavServer.url, username: WEBDAV_SERVER_V2_USER, password: 'wrong-Secret-42', folder: uniqueFolder() });
    const error = await failure(() => store.write('meta.json', bytes));
    expect(error.code).toBe('auth');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain('refused the login (401)');
    expect(error.message).toContain('Check the user name and password');
    expect(error.message).not.toContain('wrong-Secret-42');
  });

  it('works with the right password on the same server', async () => {
    const { webdavServer } = await localServers();
    const store = new WebDavProvider({ url: webdavServer.url, username: WEBDAV_SERVER_V2_USER, password: WEBDAV_SERVER_V2_PASSWORD, folder: uniqueFolder() });
    await store.write('meta.json', bytes);
    const read = await store.read('meta.json');
    expect(read.status).toBe('ok');
  });

  it('reports a server that is down as offline', async () => {
    const url = await urlOfAServerThatIsDown();
    const store = new WebDavProvider({ url, username: 'someone', password: 'Secret-99' });
    const error = await failure(() => store.read('meta.json'));
    expect(error.code).toBe('offline');
    expect(error.message).toContain('127.0.0.1');
    expect(error.message).not.toContain('Secret-99');
  });

  it('reports a server that does not answer in time as timeout', async () => {
    const { nephele } = await localServers();
    const store = new WebDavProvider({ url: nephele.url, folder: uniqueFolder() }, { timeoutMs: 200 });
    nephele.faults.failNext({ delayMs: 1000 });
    const error = await failure(() => store.read('meta.json'));
    expect(error.code).toBe('timeout');
  });

  it('reports 507 as storage-full', async () => {
    const { nephele } = await localServers();
    const store = new WebDavProvider({ url: nephele.url, folder: uniqueFolder() });
    await store.write('meta.json', bytes);
    nephele.faults.failNext({ status: 507 });
    const error = await failure(() => store.write('meta.json', bytes));
    expect(error.code).toBe('storage-full');
  });

  it('reports 503 as a server error, worth retrying', async () => {
    const { nephele } = await localServers();
    const store = new WebDavProvider({ url: nephele.url, folder: uniqueFolder() });
    nephele.faults.failNext({ status: 503 });
    const error = await failure(() => store.read('meta.json'));
    expect(error.code).toBe('server');
    expect(error.isTransient).toBe(true);
  });

  it('reports 429 as rate-limited with the Retry-After the server asked for', async () => {
    const { nephele } = await localServers();
    const store = new WebDavProvider({ url: nephele.url, folder: uniqueFolder() });
    nephele.faults.failNext({ status: 429, headers: { 'Retry-After': '7' } });
    const error = await failure(() => store.read('meta.json'));
    expect(error.code).toBe('rate-limited');
    expect(error.details.retryAfterMs).toBe(7000);
  });

  it('reports a share URL that does not exist as folder-missing', async () => {
    const { nephele } = await localServers();
    const store = new WebDavProvider({ url: `${nephele.url}no-such-share/`, folder: 'super-sync' });
    const error = await failure(() => store.write('meta.json', bytes));
    expect(error.code).toBe('folder-missing');
    expect(error.message).toContain('/super-sync');
  });

  it('creates the sync folder with deltas/ and snapshots/ on the first write', async () => {
    const { nephele } = await localServers();
    const folder = uniqueFolder();
    const store = new WebDavProvider({ url: nephele.url, folder });
    await store.write('meta.json', bytes);
    const response = await fetch(`${nephele.url}${folder}/`, { method: 'PROPFIND', headers: { Depth: '1' } });
    const listing = await response.text();
    expect(listing).toContain(`${folder}/deltas/`);
    expect(listing).toContain(`${folder}/snapshots/`);
  });

  it('creates the sync folder again when it was deleted after the first write', async () => {
    const { nephele } = await localServers();
    const folder = uniqueFolder();
    const store = new WebDavProvider({ url: nephele.url, folder });
    await store.write('meta.json', bytes);
    expect((await fetch(`${nephele.url}${folder}/`, { method: 'DELETE' })).ok).toBe(true);
    await store.write('deltas/1-dev-a.json', bytes, { createOnly: true });
    const read = await store.read('deltas/1-dev-a.json');
    expect(read.status).toBe('ok');
  });

  it('reads unquoted all-digit getetag values as the same revision a GET returns', async () => {
    // nephele sends getetag unquoted; an XML parser left alone turns "25259787" into a number
    // (a leading zero keeps it a string). CRC-32C ETags are 8 hex digits: about 2% are such numbers.
    const { nephele } = await localServers();
    const store = new WebDavProvider({ url: nephele.url, folder: uniqueFolder() });
    let digitsOnly: string | null = null;
    for (let i = 0; i < 600 && digitsOnly === null; i += 1) {
      const { revision } = await store.write(`deltas/${i}.json`, new TextEncoder().encode(`{"n":${i}}`), { createOnly: true });
      if (revision && /^"[1-9]\d*"$/.test(revision)) digitsOnly = `deltas/${i}.json`;
    }
    expect(digitsOnly).withContext('no content gave an all-digit CRC-32C ETag').not.toBeNull();
    const read = await store.read(digitsOnly!);
    const listed = (await store.list('deltas')).find((entry) => entry.path === digitsOnly);
    expect(listed?.revision).toBe(read.status === 'ok' ? read.revision : 'unread');
  });
});

/** What every server of the suite must give: a wrong login named as such, and a sync folder that heals. */
for (const target of webDavServerTargets()) {
  describe(`WebDAV provider on ${target.name.replace(/^WebDAV on /, '')}: login and folders`, () => {
    let server: { url: string; username?: string; password?: string };
    beforeAll(async () => {
      server = await target.server();
    });
    const auth = (): Record<string, string> => (server.username ? { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString("base64")}` } : {});

    it('reports a wrong password as auth, or works without one where the server asks for none', async () => {
      const store = new WebDavProvider({ ...server, password: 'wrong-Secret-42', folder: uniqueFolder() });
      if (!server.username) {
        await store.write('meta.json', bytes);
        expect((await store.read('meta.json')).status).toBe('ok');
        return;
      }
      const error = await failure(() => store.write('meta.json', bytes));
      expect(error.code).toBe('auth');
      expect(error.message).not.toContain('wrong-Secret-42');
    });

    it('creates the sync folder again when it was deleted while the app runs', async () => {
      const folder = uniqueFolder();
      const store = new WebDavProvider({ ...server, folder });
      await store.write('meta.json', bytes);
      const deleted = await fetch(`${server.url}${folder}/`, { method: 'DELETE', headers: auth() });
      expect(deleted.status).toBeLessThan(300);
      await store.write('deltas/1-dev-a.json', bytes, { createOnly: true });
      expect((await store.read('deltas/1-dev-a.json')).status).toBe('ok');
    });
  });
}
