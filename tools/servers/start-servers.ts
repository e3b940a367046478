import { RunningDropboxEmulator, startDropboxEmulator, DropboxEmulatorOptions } from './dropbox-emulator';
import { startNepheleServer } from './nephele-server';
import { RunningServer } from './running-server';
import { startWebDavServerV2 } from './webdav-server-v2';

export type ServerName = 'nephele' | 'webdav-server' | 'dropbox';
export const SERVER_NAMES: readonly ServerName[] = ['nephele', 'webdav-server', 'dropbox'];

export interface LocalServers {
  readonly nephele: RunningServer;
  readonly webdavServer: RunningServer;
  readonly dropbox: RunningDropboxEmulator;
  stop(): Promise<void>;
}

export interface StartServersOptions {
  /** Ports to use; 0 or missing picks free ones. */
  readonly ports?: Partial<Record<ServerName, number>>;
  readonly dropbox?: DropboxEmulatorOptions;
  /** nephele keeps its files here across restarts (else in a temporary folder removed on stop). */
  readonly nepheleDataDir?: string;
}

/** Starts every local test server on 127.0.0.1; `stop()` stops them all and removes their files. */
export async function startServers(options: StartServersOptions = {}): Promise<LocalServers> {
  const started: RunningServer[] = [];
  try {
    const nephele = await startOne('nephele', options);
    started.push(nephele);
    const webdavServer = await startOne('webdav-server', options);
    started.push(webdavServer);
    const dropbox = (await startOne('dropbox', options)) as RunningDropboxEmulator;
    started.push(dropbox);
    return { nephele, webdavServer, dropbox, stop: () => stopAll(started) };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

export function startOne(name: ServerName, options: StartServersOptions = {}): Promise<RunningServer> {
  const port = options.ports?.[name] ?? 0;
  switch (name) {
    case 'nephele':
      return startNepheleServer(port, options.nepheleDataDir);
    case 'webdav-server':
      return startWebDavServerV2(port);
    case 'dropbox':
      return startDropboxEmulator(port, options.dropbox);
  }
}

async function stopAll(servers: RunningServer[]): Promise<void> {
  await Promise.allSettled(servers.map((server) => server.stop()));
}
