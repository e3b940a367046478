/**
 * Starts local sync servers for manual use and for `npm start`:
 *
 *   node --import tsx tools/servers/serve.ts                      all three, on fixed default ports
 *   node --import tsx tools/servers/serve.ts nephele --port 8081  one of them
 *   ... nephele --port 8081 --data-dir .data/webdav                   nephele keeping its files there
 *
 * Prints each URL (and the credentials to use) and runs until Ctrl-C.
 */
import { resolve } from 'node:path';
import { DROPBOX_EMULATOR_APP_KEY } from './dropbox-emulator';
import { RunningServer } from './running-server';
import { SERVER_NAMES, ServerName, startOne } from './start-servers';
import { WEBDAV_SERVER_V2_PASSWORD, WEBDAV_SERVER_V2_USER } from './webdav-server-v2';

const DEFAULT_PORTS: Record<ServerName, number> = { nephele: 8081, 'webdav-server': 8082, dropbox: 8083 };

const names: string[] = [];
let port: number | undefined;
let dataDir: string | undefined;
for (let i = 2; i < process.argv.length; i += 1) {
  const arg = process.argv[i]!;
  if (arg === '--port') port = Number(process.argv[(i += 1)]);
  else if (arg === '--data-dir') dataDir = process.argv[(i += 1)];
  else names.push(arg);
}
const unknown = names.filter((name) => !SERVER_NAMES.includes(name as ServerName));
if (unknown.length > 0 || (port !== undefined && (!Number.isInteger(port) || names.length !== 1))) {
  console.error(`Usage: serve.ts [${SERVER_NAMES.join("|")}] [--port N] [--data-dir DIR]   (--port needs exactly one server name)`);
  process.exit(2);
}

const chosen = (names.length > 0 ? names : SERVER_NAMES) as ServerName[];
const running: RunningServer[] = [];

async function main(): Promise<void> {
  for (const name of chosen) {
    const server = await startOne(name, { ports: { [name]: port ?? DEFAULT_PORTS[name] }, ...(dataDir ? { nepheleDataDir: resolve(dataDir) } : {}) });
    running.push(server);
    console.log(`${name.padEnd(14)} ${server.url}${describe(name)}`);
  }
}

function describe(name: ServerName): string {
  if (name === 'webdav-server') return `   user ${WEBDAV_SERVER_V2_USER}, password ${WEBDAV_SERVER_V2_PASSWORD} (lock mode: no ETags)`;
  if (name === 'nephele') return `   no login (compare-and-swap: honours If-Match)${dataDir ? `; files in ${resolve(dataDir)}` : ''}`;
  return `   app key ${DROPBOX_EMULATOR_APP_KEY}; set it as the Dropbox API base URL in the sync settings`;
}

const shutdown = async () => {
  await Promise.allSettled(running.map((server) => server.stop()));
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await Promise.allSettled(running.map((server) => server.stop()));
  process.exit(1);
});
