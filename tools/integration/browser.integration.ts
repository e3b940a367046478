import { Browser, chromium, Page } from '@playwright/test';
import { createServer, Server } from 'node:http';
import { chromiumLaunchOptions } from '../../playwright.config';
import { applyCors } from '../servers/cors';
import { WEBDAV_SERVER_V2_PASSWORD, WEBDAV_SERVER_V2_USER } from '../servers/webdav-server-v2';
import { serveProvidersPage } from './browser-page';
import { urlOfAServerThatIsDown } from './closed-port';
import { localServers } from './local-servers';
import { uniqueFolder } from './providers';

/** What a provider call in the page came to: its result, or the SyncError it failed with. */
type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/**
 * The providers as the app runs them: bundled for the browser, in Chromium, on another origin than
 * the servers. Proves the CORS headers of the local servers are enough, that ETags and
 * Dropbox-API-Result come through, and that a CORS refusal is told apart from being offline.
 */
describe('Providers in Chromium, across origins', () => {
  let browser: Browser;
  let page: Page;
  let stopPage: () => Promise<void>;
  let noCorsServer: Server;
  let noCorsUrl: string;
  let cacheableServer: Server;
  let cacheableUrl: string;

  beforeAll(async () => {
    const served = await serveProvidersPage();
    stopPage = served.stop;
    browser = await chromium.launch(chromiumLaunchOptions);
    page = await browser.newPage();
    await page.goto(served.url);
    // A WebDAV-looking server that sends no CORS headers at all.
    noCorsServer = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('no CORS here');
    });
    await new Promise<void>((resolve) => noCorsServer.listen(0, '127.0.0.1', resolve));
    const address = noCorsServer.address();
    noCorsUrl = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}/` : '';
    // Like Apache serving a file: Last-Modified long ago, no Cache-Control, so a browser may cache
    // it heuristically. Every GET sees a newer version, as if other devices kept committing.
    let version = 0;
    cacheableServer = createServer((request, response) => {
      if (applyCors(request, response)) return;
      version += 1;
      response.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        ETag: `"v${version}"`,
        'Last-Modified': new Date(Date.now() - 30 * 86_400_000).toUTCString(),
      });
      response.end(`version ${version}`);
    });
    await new Promise<void>((resolve) => cacheableServer.listen(0, '127.0.0.1', resolve));
    const cacheableAddress = cacheableServer.address();
    cacheableUrl = typeof cacheableAddress === 'object' && cacheableAddress ? `http://127.0.0.1:${cacheableAddress.port}/` : '';
  });

  afterAll(async () => {
    await browser?.close();
    await stopPage?.();
    noCorsServer?.closeAllConnections();
    await new Promise<void>((resolve) => noCorsServer?.close(() => resolve()));
    cacheableServer?.closeAllConnections();
    await new Promise<void>((resolve) => cacheableServer?.close(() => resolve()));
  });

  /**
   * Creates a store in the page with `factory` (an expression over `p`, the bundle, and `args`) and
   * runs a round there: write, conditional read, read, list, probe. With `writeOnly`, just the write.
   */
  function inPage(factory: string, args: unknown, writeOnly = false): Promise<Outcome> {
    return page.evaluate(
      async ({ factory, args, writeOnly }) => {
        const p = (window as unknown as { providers: Record<string, unknown> }).providers;
        try {
          const store = new Function('p', 'args', `return ${factory}`)(p, args);
          const written = await store.write('meta.json', new TextEncoder().encode('{"v":1}'));
          if (writeOnly) return { ok: true as const, value: written };
          const notModified = await store.read('meta.json', { ifNoneMatch: written.revision });
          const read = await store.read('meta.json');
          const listed = await store.list('');
          const probe = await (p['probeCommitMode'] as (s: unknown) => Promise<{ mode: string }>)(store);
          return {
            ok: true as const,
            value: {
              hasRevision: typeof written.revision === 'string',
              notModified: notModified.status,
              readBack: new TextDecoder().decode(read.data),
              sameRevision: read.revision === written.revision,
              listed: listed.map((entry: { path: string }) => entry.path),
              mode: probe.mode,
            },
          };
        } catch (error) {
          const e = error as { code?: string; message?: string };
          return { ok: false as const, code: e.code ?? 'not-a-sync-error', message: String(e.message) };
        }
      },
      { factory, args, writeOnly },
    );
  }

  const roundTrip = (factory: string, args: unknown) => inPage(factory, args);
  const failureOf = (factory: string, args: unknown) => inPage(factory, args, true);

  const webdav = 'new p.WebDavProvider(args)';
  const dropbox = 'new p.DropboxProvider(args.settings, args.credentials)';

  it('syncs with nephele over WebDAV and probes compare-and-swap', async () => {
    const { nephele } = await localServers();
    const outcome = await roundTrip(webdav, { url: nephele.url, folder: uniqueFolder() });
    expect(outcome).toEqual({
      ok: true,
      value: { hasRevision: true, notModified: 'not-modified', readBack: '{"v":1}', sameRevision: true, listed: ['meta.json'], mode: 'compare-and-swap' },
    });
  });

  it('syncs with webdav-server v2 with a login and probes lock', async () => {
    const { webdavServer } = await localServers();
    const outcome = await roundTrip(webdav, { url: webdavServer.url, username: WEBDAV_SERVER_V2_USER, password: WEBDAV_SERVER_V2_PASSWORD, folder: uniqueFolder() });
    expect(outcome).toEqual({
      ok: true,
      value: { hasRevision: true, notModified: 'not-modified', readBack: '{"v":1}', sameRevision: true, listed: ['meta.json'], mode: 'lock' },
    });
  });

  it('reports a wrong WebDAV password as auth in the browser too', async () => {
    const { webdavServer } = await localServers();
    const outcome = await failureOf(webdav, { url: webdavServer.url, username: WEBDAV_SERVER_V2_USER, password: 'not-it', folder: uniqueFolder() });
    expect(outcome).toEqual(jasmine.objectContaining({ ok: false, code: 'auth' }));
  });

  it('syncs with the Dropbox emulator and probes compare-and-swap', async () => {
    const { dropbox: emulator } = await localServers();
    const tokens = emulator.emulator.issueTokens();
    const outcome = await roundTrip(dropbox, {
      settings: { appKey: emulator.emulator.appKey, apiBaseUrl: emulator.url, folder: uniqueFolder() },
      credentials: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessTokenExpiresAt: Date.now() + 3600_000 },
    });
    expect(outcome).toEqual({
      ok: true,
      value: { hasRevision: true, notModified: 'not-modified', readBack: '{"v":1}', sameRevision: true, listed: ['meta.json'], mode: 'compare-and-swap' },
    });
  });

  it('reports a server that sends no CORS headers as cors, saying what to allow', async () => {
    const outcome = await failureOf(webdav, { url: noCorsUrl, folder: 'sync' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.code).toBe('cors');
    expect(outcome.message).toContain(page.url().replace(/\/$/, ''));
    expect(outcome.message).toContain('PROPFIND');
    expect(outcome.message).toContain('If-Match');
    expect(outcome.message).toContain('ETag');
  });

  it('reports a server that is down as offline, not as cors', async () => {
    const outcome = await failureOf(webdav, { url: await urlOfAServerThatIsDown(), folder: 'sync' });
    expect(outcome).toEqual(jasmine.objectContaining({ ok: false, code: 'offline' }));
  });

  it('reads what the server has now, never a copy the browser cached heuristically', async () => {
    const reads = await page.evaluate(async (url) => {
      const p = (window as unknown as { providers: { WebDavProvider: new (settings: unknown) => { read(path: string): Promise<{ data?: Uint8Array }> } } }).providers;
      const store = new p.WebDavProvider({ url, folder: '' });
      const texts: string[] = [];
      for (let i = 0; i < 3; i += 1) texts.push(new TextDecoder().decode((await store.read('meta.json')).data));
      return texts;
    }, cacheableUrl);
    expect(reads).toEqual(['version 1', 'version 2', 'version 3']);
  });
});
