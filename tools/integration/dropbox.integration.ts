import { DropboxCredentials, finishDropboxAuthorization, startDropboxAuthorization } from '../../src/app/sync/providers/dropbox-auth';
import { DropboxProvider, DropboxProviderOptions } from '../../src/app/sync/providers/dropbox.provider';
import { RunningDropboxEmulator } from '../servers/dropbox-emulator';
import { urlOfAServerThatIsDown } from './closed-port';
import { localServers } from './local-servers';
import { uniqueFolder } from './providers';
import { failure } from './sync-failure';

const bytes = new TextEncoder().encode('{"v":1}');

describe('Dropbox provider against the emulator', () => {
  let dropbox: RunningDropboxEmulator;

  beforeAll(async () => {
    dropbox = (await localServers()).dropbox;
  });

  afterEach(() => {
    dropbox.emulator.accessTokenLifetimeMs = 4 * 3600_000;
    dropbox.emulator.quotaBytes = Number.POSITIVE_INFINITY;
    dropbox.emulator.writeLockMs = 15;
  });

  function settings() {
    return { appKey: dropbox.emulator.appKey, apiBaseUrl: dropbox.url, folder: uniqueFolder() };
  }

  function freshCredentials(): DropboxCredentials {
    const tokens = dropbox.emulator.issueTokens();
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessTokenExpiresAt: Date.now() + tokens.expiresInSeconds * 1000 };
  }

  function tokenRequests(): number {
    return dropbox.emulator.requestCounts.get('/oauth2/token') ?? 0;
  }

  describe('connecting with OAuth 2 PKCE', () => {
    it('builds an authorize URL for a pasted code with offline access and an S256 challenge', async () => {
      const { url, codeVerifier } = await startDropboxAuthorization({ appKey: 'my-app-key' });
      const parsed = new URL(url);
      expect(parsed.origin + parsed.pathname).toBe('https://www.dropbox.com/oauth2/authorize');
      expect(parsed.searchParams.get('client_id')).toBe('my-app-key');
      expect(parsed.searchParams.get('response_type')).toBe('code');
      expect(parsed.searchParams.get('token_access_type')).toBe('offline');
      expect(parsed.searchParams.get('code_challenge_method')).toBe('S256');
      expect(parsed.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(parsed.searchParams.has('redirect_uri')).toBe(false);
      expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    });

    it('exchanges the code the user pastes for tokens that work', async () => {
      const app = { appKey: dropbox.emulator.appKey, apiBaseUrl: dropbox.url };
      const authorization = await startDropboxAuthorization(app);
      const page = await (await fetch(authorization.url)).text();
      const code = /<code id="auth-code">([^<]+)<\/code>/.exec(page)?.[1];
      expect(code).toBeDefined();
      const credentials = await finishDropboxAuthorization(app, { code: ` ${code!} \n`, codeVerifier: authorization.codeVerifier });
      expect(credentials.refreshToken).toBeTruthy();
      expect(credentials.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 3600_000);
      const store = new DropboxProvider({ ...app, folder: uniqueFolder() }, credentials);
      const { revision } = await store.write('meta.json', bytes);
      expect(await store.read('meta.json')).toEqual({ status: 'ok', data: bytes, revision });
    });

    it('refuses a code exchanged with the wrong verifier as auth', async () => {
      const app = { appKey: dropbox.emulator.appKey, apiBaseUrl: dropbox.url };
      const authorization = await startDropboxAuthorization(app);
      const code = /<code id="auth-code">([^<]+)<\/code>/.exec(await (await fetch(authorization.url)).text())![1]!;
      const other = await startDropboxAuthorization(app);
      const error = await failure(() => finishDropboxAuthorization(app, { code, codeVerifier: other.codeVerifier }));
      expect(error.code).toBe('auth');
      expect(error.message).toContain('Connect Dropbox again');
    });
  });

  describe('tokens', () => {
    it('refreshes an access token the server says has expired, retries, and hands out the new credentials', async () => {
      const credentials = freshCredentials();
      dropbox.emulator.expireAccessTokens();
      const updates: DropboxCredentials[] = [];
      const store = new DropboxProvider(settings(), credentials, { onCredentialsChange: (c) => updates.push(c) });
      const before = tokenRequests();
      const { revision } = await store.write('meta.json', bytes);
      expect(revision).toEqual(jasmine.any(String));
      expect(tokenRequests() - before).toBe(1);
      expect(updates.length).toBe(1);
      expect(updates[0]!.accessToken).not.toBe(credentials.accessToken);
      expect(updates[0]!.refreshToken).toBe(credentials.refreshToken);
    });

    it('refreshes once for many parallel requests that all meet an expired token', async () => {
      const credentials = freshCredentials();
      dropbox.emulator.expireAccessTokens();
      const store = new DropboxProvider(settings(), credentials);
      const before = tokenRequests();
      await Promise.all(Array.from({ length: 6 }, (_, i) => store.write(`deltas/${i}.json`, bytes, { createOnly: true })));
      // Requests already in flight when the first 401 arrives each see it, but share one refresh.
      expect(tokenRequests() - before).toBe(1);
    });

    it('refreshes ahead of time when the stored expiry says the token is about to run out', async () => {
      const credentials = { ...freshCredentials(), accessTokenExpiresAt: Date.now() - 1000 };
      const updates: DropboxCredentials[] = [];
      const store = new DropboxProvider(settings(), credentials, { onCredentialsChange: (c) => updates.push(c) });
      await store.read('meta.json');
      expect(updates.length).toBe(1);
      expect(updates[0]!.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 3600_000);
    });

    it('reports a revoked authorization as auth, asking to connect again', async () => {
      const credentials = freshCredentials();
      dropbox.emulator.expireAccessTokens();
      dropbox.emulator.revokeRefreshTokens();
      const store = new DropboxProvider(settings(), credentials);
      const error = await failure(() => store.read('meta.json'));
      expect(error.code).toBe('auth');
      expect(error.message).toContain('Connect Dropbox again');
      expect(error.message).not.toContain(credentials.refreshToken);
    });
  });

  describe('rate limits and failures', () => {
    it('waits out a short 429 retry_after and then succeeds', async () => {
      const store = new DropboxProvider(settings(), freshCredentials());
      dropbox.emulator.rateLimitNext(1);
      const started = Date.now();
      await store.write('meta.json', bytes);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect((await store.read('meta.json')).status).toBe('ok');
    });

    it('reports a long 429 retry_after as rate-limited with the wait Dropbox asked for', async () => {
      const options: DropboxProviderOptions = { maxRetryAfterWaitMs: 5000 };
      const store = new DropboxProvider(settings(), freshCredentials(), options);
      dropbox.emulator.rateLimitNext(120);
      const error = await failure(() => store.read('meta.json'));
      expect(error.code).toBe('rate-limited');
      expect(error.details.retryAfterMs).toBe(120_000);
    });

    it('writes one at a time from one device, so its parallel uploads never contend for the account lock', async () => {
      const store = new DropboxProvider(settings(), freshCredentials());
      const before = dropbox.emulator.writeContentions;
      await Promise.all(Array.from({ length: 8 }, (_, i) => store.write(`deltas/${i}.json`, new TextEncoder().encode(`{"n":${i}}`), { createOnly: true })));
      expect(dropbox.emulator.writeContentions - before).toBe(0);
      expect((await store.list('deltas')).length).toBe(8);
    });

    it('waits out too_many_write_operations (JSON and plain-text 429) when devices write to one account at once', async () => {
      const folder = uniqueFolder();
      const devices = Array.from({ length: 3 }, () => new DropboxProvider({ ...settings(), folder }, freshCredentials()));
      // A write holds the account's lock long enough that the three first writes, sent at once, surely meet.
      dropbox.emulator.writeLockMs = 150;
      const before = dropbox.emulator.writeContentions;
      await Promise.all(devices.flatMap((store, d) => [0, 1].map((i) => store.write(`deltas/${d}-${i}.json`, bytes, { createOnly: true }))));
      // The devices did collide (both answer forms: the emulator alternates them), and every write landed.
      expect(dropbox.emulator.writeContentions - before).toBeGreaterThanOrEqual(2);
      expect((await devices[0]!.list('deltas')).length).toBe(6);
    });

    it('keeps the revision when the same bytes are uploaded again, as Dropbox does', async () => {
      const store = new DropboxProvider(settings(), freshCredentials());
      const first = await store.write('meta.json', bytes);
      const again = await store.write('meta.json', bytes);
      const updated = await store.write('meta.json', bytes, { ifMatch: first.revision! });
      expect(again.revision).toBe(first.revision);
      expect(updated.revision).toBe(first.revision);
      expect((await store.write('meta.json', new TextEncoder().encode('{"v":2}'))).revision).not.toBe(first.revision);
    });

    it('reports a full Dropbox as storage-full', async () => {
      const store = new DropboxProvider(settings(), freshCredentials());
      dropbox.emulator.quotaBytes = 0;
      const error = await failure(() => store.write('meta.json', bytes));
      expect(error.code).toBe('storage-full');
    });

    it('reports an unreachable API as offline', async () => {
      const store = new DropboxProvider({ ...settings(), apiBaseUrl: await urlOfAServerThatIsDown() }, freshCredentials());
      const error = await failure(() => store.read('meta.json'));
      expect(error.code).toBe('offline');
    });

    it('reports an API that does not answer in time as timeout', async () => {
      const store = new DropboxProvider(settings(), freshCredentials(), { timeoutMs: 200 });
      dropbox.faults.failNext({ delayMs: 1000 });
      const error = await failure(() => store.read('meta.json'));
      expect(error.code).toBe('timeout');
    });
  });

  it('reads with ifNoneMatch in one request, changed or not', async () => {
    const store = new DropboxProvider(settings(), freshCredentials());
    const { revision } = await store.write('meta.json', bytes);
    const count = () => dropbox.emulator.requestCounts.get('/2/files/download') ?? 0;
    const before = count();
    const bytesBefore = dropbox.emulator.downloadedBytes;
    expect(await store.read('meta.json', { ifNoneMatch: revision! })).toEqual({ status: 'not-modified' });
    expect(count() - before).toBe(1);
    // "Nothing changed" downloads no body: a conditional GET answered 304.
    expect(dropbox.emulator.downloadedBytes).toBe(bytesBefore);
    await store.write('meta.json', new TextEncoder().encode('{"v":2}'));
    expect((await store.read('meta.json', { ifNoneMatch: revision! })).status).toBe('ok');
    expect(count() - before).toBe(2);
  });
});
