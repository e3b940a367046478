import { LocalServers, startServers } from '../servers/start-servers';
import { RunningSystemServer, startSystemServer, SystemServerName } from '../servers/system-servers';

let running: Promise<LocalServers> | null = null;
const system = new Map<SystemServerName, Promise<RunningSystemServer>>();

/** The built-in servers, started on first use and shared by every integration spec of one run. */
export function localServers(): Promise<LocalServers> {
  // A small list page makes every listing of more than 3 files use list_folder/continue.
  running ??= startServers({ dropbox: { pageSize: 3 } });
  return running;
}

/** One of Debian's WebDAV servers (Apache, nginx, rclone), started on first use and shared likewise. */
export function systemServer(name: SystemServerName): Promise<RunningSystemServer> {
  let server = system.get(name);
  if (!server) {
    server = startSystemServer(name);
    system.set(name, server);
  }
  return server;
}

export async function stopLocalServers(): Promise<void> {
  const servers = running;
  running = null;
  const others = [...system.values()];
  system.clear();
  await Promise.allSettled([servers?.then((s) => s.stop()), ...others.map((s) => s.then((one) => one.stop()))]);
}
