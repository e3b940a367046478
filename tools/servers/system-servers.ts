/**
 * The WebDAV servers users really sync through, from Debian's packages: Apache httpd's mod_dav (with
 * strong `FileETag Digest` ETags and with its default `MTime Size`, weak for a second after a
 * write), nginx's dav module with dav-ext, and `rclone serve webdav`. Each runs in the foreground as
 * a child process on 127.0.0.1 with its files in a temporary folder, and is stopped (and its folder
 * removed) by `stop()`. `tools/ensure-servers.sh` installs the packages when they are missing.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SystemServerName = 'apache-digest' | 'apache-mtime' | 'nginx' | 'rclone';
export const SYSTEM_SERVER_NAMES: readonly SystemServerName[] = ['apache-digest', 'apache-mtime', 'nginx', 'rclone'];

export interface RunningSystemServer {
  readonly name: SystemServerName;
  /** What a person would call it, with its version. */
  readonly label: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  stop(): Promise<void>;
}

const USER = 'tandem';
const PASSWORD = 'tandem-secret';

/** The program each server needs; missing ones are named by `missingSystemServers`. */
const BINARIES: Record<SystemServerName, string> = {
  'apache-digest': '/usr/sbin/apache2',
  'apache-mtime': '/usr/sbin/apache2',
  nginx: '/usr/sbin/nginx',
  rclone: '/usr/bin/rclone',
};

export function missingSystemServers(): SystemServerName[] {
  return SYSTEM_SERVER_NAMES.filter(
    (name) => !existsSync(BINARIES[name]) || (name === 'nginx' && !existsSync(NGINX_DAV_EXT)) || (name.startsWith('apache') && !existsSync('/usr/bin/htpasswd')),
  );
}

/** Children still running: killed when this process exits, however it exits, so none is left behind. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts one; a port taken between choosing it and the server binding it is tried again with another. */
export async function startSystemServer(name: SystemServerName): Promise<RunningSystemServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(name);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function startOnce(name: SystemServerName): Promise<RunningSystemServer> {
  if (missingSystemServers().includes(name)) {
    throw new Error(`${name} is not installed (${BINARIES[name]}). Run \`bash tools/ensure-servers.sh\` as root, or apt-get install apache2 apache2-utils nginx libnginx-mod-http-dav-ext rclone.`);
  }
  const dir = mkdtempSync(join(tmpdir(), `tandem-${name}-`));
  chmodSync(dir, 0o755); // Apache's workers run as www-data and must reach their folder.
  const port = await freePort();
  switch (name) {
    case 'apache-digest':
      return startApache(name, dir, port, 'Digest');
    case 'apache-mtime':
      return startApache(name, dir, port, 'MTime Size');
    case 'nginx':
      return startNginx(dir, port);
    case 'rclone':
      return startRclone(dir, port);
  }
}

function startApache(name: SystemServerName, dir: string, port: number, etag: string): Promise<RunningSystemServer> {
  for (const sub of ['dav', 'lock', 'logs', 'run']) mkdirSync(join(dir, sub));
  const owner = wwwData();
  if (owner) for (const sub of ['dav', 'lock']) chownSync(join(dir, sub), owner.uid, owner.gid);
  execFileSync('htpasswd', ['-bc', join(dir, 'htpasswd'), USER, PASSWORD], { stdio: 'ignore' });
  const mods = '/usr/lib/apache2/modules';
  const modules = ['mpm_event', 'authz_core', 'authz_user', 'authn_core', 'authn_file', 'auth_basic', 'mime', 'alias', 'dav', 'dav_fs'];
  writeFileSync(
    join(dir, 'httpd.conf'),
    [
      'ServerRoot /etc/apache2',
      'ServerName 127.0.0.1',
      `PidFile ${dir}/run/httpd.pid`,
      `DefaultRuntimeDir ${dir}/run`,
      `Mutex file:${dir}/run`,
      `Listen 127.0.0.1:${port}`,
      ...(owner ? ['User www-data', 'Group www-data'] : []),
      `ErrorLog ${dir}/logs/error.log`,
      ...modules.map((module) => `LoadModule ${module}_module ${mods}/mod_${module}.so`),
      'TypesConfig /etc/mime.types',
      `DavLockDB ${dir}/lock/DavLock`,
      // Digest: strong content ETags. "MTime Size" (Apache's default): a file changed within the
      // last second has a weak ETag, and every If-Match against it is refused until that second ends.
      `FileETag ${etag}`,
      `Alias /dav ${dir}/dav`,
      `<Directory ${dir}/dav>`,
      '  Dav On',
      '  AuthType Basic',
      '  AuthName "tandem-tasks test"',
      `  AuthUserFile ${dir}/htpasswd`,
      '  Require valid-user',
      '</Directory>',
      '',
    ].join('\n'),
  );
  const version = firstLine(execFileSync('/usr/sbin/apache2', ['-v']).toString()).replace(/^Server version:\s*/, '');
  const child = spawn('/usr/sbin/apache2', ['-f', join(dir, 'httpd.conf'), '-D', 'FOREGROUND'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return running(name, `${version}, mod_dav, FileETag ${etag}`, child, dir, port, `http://127.0.0.1:${port}/dav/`, USER, PASSWORD);
}

const NGINX_DAV_EXT = '/usr/lib/nginx/modules/ngx_http_dav_ext_module.so';

function startNginx(dir: string, port: number): Promise<RunningSystemServer> {
  for (const sub of ['root', 'tmp', 'logs']) mkdirSync(join(dir, sub));
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      `load_module ${NGINX_DAV_EXT};`,
      'daemon off;',
      'master_process off;',
      'user root;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/logs/error.log;`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log off;`,
      `  client_body_temp_path ${dir}/tmp;`,
      `  proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;`,
      '  client_max_body_size 0;',
      '  server {',
      `    listen 127.0.0.1:${port};`,
      `    root ${dir}/root;`,
      '    location / {',
      '      dav_methods PUT DELETE MKCOL COPY MOVE;',
      '      dav_ext_methods PROPFIND OPTIONS;',
      '      dav_access user:rw group:rw all:r;',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  // nginx prints its version on stderr.
  const version = firstLine(spawnSync('/usr/sbin/nginx', ['-v']).stderr.toString()).replace(/^nginx version:\s*/, '');
  const label = `${version}, dav + dav-ext`;
  const child = spawn('/usr/sbin/nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return running('nginx', label, child, dir, port, `http://127.0.0.1:${port}/`);
}

function startRclone(dir: string, port: number): Promise<RunningSystemServer> {
  mkdirSync(join(dir, 'root'));
  const version = firstLine(execFileSync('/usr/bin/rclone', ['version']).toString());
  const child = spawn(
    '/usr/bin/rclone',
    ['serve', 'webdav', join(dir, 'root'), '--addr', `127.0.0.1:${port}`, '--user', USER, '--pass', PASSWORD, '--config', join(dir, 'rclone.conf')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return running('rclone', `${version} serve webdav`, child, dir, port, `http://127.0.0.1:${port}/`, USER, PASSWORD);
}

async function running(
  name: SystemServerName,
  label: string,
  child: ChildProcess,
  dir: string,
  port: number,
  url: string,
  username?: string,
  password?: string,
): Promise<RunningSystemServer> {
  let stderr = '';
  children.add(child);
  let stopping = false;
  child.once('exit', (code, signal) => {
    children.delete(child);
    // A server that dies under the tests makes them fail as "offline": say why, where CI shows it.
    if (!stopping) console.error(`\n${label} on port ${port} exited unexpectedly (${signal ?? `code ${code}`}): ${stderr.trim() || 'no output'}`);
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  // A server's stderr must not keep this process alive once everything else is done.
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    stopping = true;
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  // Listening, and by this child: another process that took the port would accept too, and a
  // server that failed to bind exits within moments.
  for (;;) {
    if (await accepts(port)) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (child.exitCode === null && child.signalCode === null) break;
    }
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${label} did not start on port ${port}: ${stderr.trim() || `exit code ${child.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { name, label, url, username, password, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function wwwData(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    return { uid: Number(execFileSync('id', ['-u', 'www-data'])), gid: Number(execFileSync('id', ['-g', 'www-data'])) };
  } catch {
    return null;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}
