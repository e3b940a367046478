import { LocalServers, startServers } from '../servers/start-servers';

let running: Promise<LocalServers> | null = null;

/** The built-in servers, started on first use and shared by every integration spec of one run. */
export function localServers(): Promise<LocalServers> {
  // A small list page makes every listing of more than 3 files use list_folder/continue.
  running ??= startServers({ dropbox: { pageSize: 3 } });
  return running;
}

export async function stopLocalServers(): Promise<void> {
  const servers = running;
  running = null;
  if (servers) await (await servers).stop();
}
