/**
 * The remote stores the integration tests run against, as factories that the engine's convergence
 * tests can reuse. WebDAV targets come from the environment when WEBDAV_URL is set (Apache
 * mod_dav, Nextcloud, rclone... see docs/providers.md), else from the built-in servers.
 */
import { CommitMode, RemoteStore } from '../../src/app/sync/engine/remote/remote-store';
import { DropboxProvider, DropboxProviderOptions } from '../../src/app/sync/providers/dropbox.provider';
import { WebDavProvider, WebDavProviderOptions } from '../../src/app/sync/providers/webdav.provider';
import { WEBDAV_SERVER_V2_PASSWORD, WEBDAV_SERVER_V2_USER } from '../servers/webdav-server-v2';
import { localServers, stopLocalServers } from './local-servers';

export interface ProviderTarget {
  readonly name: string;
  /** What probeCommitMode must report for this server. */
  readonly expectedMode: CommitMode;
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

export function providerTargets(
  options: { webdav?: WebDavProviderOptions; dropbox?: DropboxProviderOptions } = {},
): ProviderTarget[] {
  const start = async () => {
    await localServers();
  };
  const external = webDavTargetFromEnvironment();
  const webdavTargets: ProviderTarget[] = external
    ? [
        {
          name: `WebDAV at ${external.url} (from WEBDAV_URL)`,
          expectedMode: external.expectedMode,
          start,
          stop: stopLocalServers,
          create: async (folder) => new WebDavProvider({ url: external.url, username: external.username, password: external.password, folder }, options.webdav),
        },
      ]
    : [
        {
          name: 'WebDAV on nephele',
          expectedMode: 'compare-and-swap',
          start,
          stop: stopLocalServers,
          create: async (folder) => new WebDavProvider({ url: (await localServers()).nephele.url, folder }, options.webdav),
        },
        {
          name: 'WebDAV on webdav-server v2',
          expectedMode: 'lock',
          start,
          stop: stopLocalServers,
          create: async (folder) =>
            new WebDavProvider(
              { url: (await localServers()).webdavServer.url, username: WEBDAV_SERVER_V2_USER, password: WEBDAV_SERVER_V2_PASSWORD, folder },
              options.webdav,
            ),
        },
      ];
  const dropboxTarget: ProviderTarget = {
    name: 'Dropbox on the emulator',
    expectedMode: 'compare-and-swap',
    start,
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
