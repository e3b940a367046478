/**
 * The remote stores the integration tests run against, as factories that the engine's convergence
 * tests can reuse. WebDAV targets come from the environment when WEBDAV_URL is set (Apache
 * mod_dav, Nextcloud... see docs/providers.md), else from the built-in and Debian's servers.
 */
import { CommitMode, RemoteStore } from '../../src/app/sync/engine/remote/remote-store';
import { DropboxProvider, DropboxProviderOptions } from '../../src/app/sync/providers/dropbox.provider';
import { WebDavProvider, WebDavProviderOptions } from '../../src/app/sync/providers/webdav.provider';
import { WEBDAV_SERVER_V2_PASSWORD, WEBDAV_SERVER_V2_USER } from '../servers/webdav-server-v2';
import { SystemServerName } from '../servers/system-servers';
import { localServers, stopLocalServers, systemServer } from './local-servers';

export interface ProviderTarget {
  readonly name: string;
  /** What probeCommitMode must report for this server. */
  readonly expectedMode: CommitMode;
  /** Whether two racing conditional writes on one revision can never both succeed. */
  readonly atomicConditions: boolean;
  /** Starts what the target needs (the built-in servers); idempotent. */
  start(): Promise<void>;
  /** Stops the built-in servers (shared by all targets). */
  stop(): Promise<void>;
  /** A fresh store whose sync folder is `folder` (use a unique name per test). */
  create(folder: string): Promise<RemoteStore>;
}

export interface WebDavTargetConfig {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly expectedMode: CommitMode;
}

/** WEBDAV_URL / WEBDAV_USER / WEBDAV_PASSWORD / WEBDAV_EXPECT_MODE, when WEBDAV_URL is set. */
export function webDavTargetFromEnvironment(env: NodeJS.ProcessEnv = process.env): WebDavTargetConfig | null {
  const url = env['WEBDAV_URL'];
  if (!url) return null;
  const mode = env['WEBDAV_EXPECT_MODE'] ?? 'compare-and-swap';
  if (mode !== 'compare-and-swap' && mode !== 'lock') throw new Error(`WEBDAV_EXPECT_MODE must be compare-and-swap or lock, not ${mode}.`);
  return { url, username: env['WEBDAV_USER'], password: env['WEBDAV_PASSWORD'], expectedMode: mode };
}

/** A WebDAV server the suites run against: where it is, and what the probe must find there. */
export interface WebDavServerTarget {
  readonly name: string;
  readonly expectedMode: CommitMode;
  /** Starts it when needed (idempotent) and says where it is. */
  server(): Promise<{ url: string; username?: string; password?: string }>;
}

/**
 * Every WebDAV server of the suite: the one in WEBDAV_URL when set, else nephele, webdav-server v2,
 * Apache mod_dav (Digest and MTime Size ETags), nginx dav and rclone serve webdav.
 */
export function webDavServerTargets(): WebDavServerTarget[] {
  const external = webDavTargetFromEnvironment();
  if (external) return [{ name: `WebDAV at ${external.url} (from WEBDAV_URL)`, expectedMode: external.expectedMode, server: async () => external }];
  return [
    { name: 'WebDAV on nephele', expectedMode: 'compare-and-swap', server: async () => ({ url: (await localServers()).nephele.url }) },
    {
      name: 'WebDAV on webdav-server v2',
      expectedMode: 'lock',
      server: async () => ({ url: (await localServers()).webdavServer.url, username: WEBDAV_SERVER_V2_USER, password: WEBDAV_SERVER_V2_PASSWORD }),
    },
    ...SYSTEM_SERVERS.map(({ name, title, expectedMode }) => ({ name: `WebDAV on ${title}`, expectedMode, server: () => systemServer(name) })),
  ];
}

/** Debian's servers, and what the probe finds on each (docs/providers.md). */
const SYSTEM_SERVERS: readonly { name: SystemServerName; title: string; expectedMode: CommitMode }[] = [
  // Strong ETags and If-Match honoured (though not atomically: two racing PUTs can both pass).
  { name: 'apache-digest', title: 'Apache mod_dav (FileETag Digest)', expectedMode: 'compare-and-swap' },
  // Weak ETags for a second after each write: a write with the current ETag is refused.
  { name: 'apache-mtime', title: 'Apache mod_dav (FileETag MTime Size)', expectedMode: 'lock' },
  { name: 'nginx', title: 'nginx dav', expectedMode: 'lock' },
  { name: 'rclone', title: 'rclone serve webdav', expectedMode: 'lock' },
];

export function providerTargets(
  options: { webdav?: WebDavProviderOptions; dropbox?: DropboxProviderOptions } = {},
): ProviderTarget[] {
  const webdavTargets: ProviderTarget[] = webDavServerTargets().map((target) => ({
    name: target.name,
    expectedMode: target.expectedMode,
    // No WebDAV server here checks If-Match and writes atomically (nephele, Apache: measured).
    atomicConditions: false,
    start: async () => {
      await target.server();
    },
    stop: stopLocalServers,
    create: async (folder) => new WebDavProvider({ ...(await target.server()), folder }, options.webdav),
  }));
  const dropboxTarget: ProviderTarget = {
    name: 'Dropbox on the emulator',
    expectedMode: 'compare-and-swap',
    atomicConditions: true,
    start: async () => {
      await localServers();
    },
    stop: stopLocalServers,
    create: async (folder) => {
      const { dropbox } = await localServers();
      const tokens = dropbox.emulator.issueTokens();
      return new DropboxProvider(
        { appKey: dropbox.emulator.appKey, apiBaseUrl: dropbox.url, folder },
        { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessTokenExpiresAt: Date.now() + tokens.expiresInSeconds * 1000 },
        options.dropbox,
      );
    },
  };
  return [...webdavTargets, dropboxTarget];
}

/** A sync folder no other test uses, inside one folder that collects them all. */
export function uniqueFolder(prefix = 'it'): string {
  return `tandem-tasks-it/${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
