import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FileSystemAdapter from '@nephele/adapter-file-system';
import InsecureAuthenticator from '@nephele/authenticator-none';
import createNephele from 'nephele';
import { RunningServer, serveOnLoopback } from './running-server';

const MUTATING_METHODS = new Set(['PUT', 'DELETE', 'MKCOL', 'MOVE', 'COPY', 'PROPPATCH', 'LOCK', 'UNLOCK']);

/**
 * nephele on a folder (a temporary one unless `dataDir` is given, which is kept): honours If-Match and If-None-Match, ETags from a CRC-32C of the
 * content, `getetag` unquoted in PROPFIND, no ETag in PUT answers. No authentication.
 *
 * nephele checks If-Match and then writes with awaits in between, so two PUTs with the same
 * If-Match can both pass the check (the contract test "lets exactly one of two devices commit"
 * caught it). A real compare-and-swap server checks and writes atomically, so requests that change
 * a resource are served one at a time per path here.
 */
export async function startNepheleServer(port = 0, dataDir?: string): Promise<RunningServer> {
  const root = dataDir ?? (await mkdtemp(join(tmpdir(), 'nephele-')));
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const app = createNephele({
    adapter: new FileSystemAdapter({ root, contentEtagMaxBytes: 100 * 1024 * 1024 }),
    authenticator: new InsecureAuthenticator(),
  });
  const serialised = new PerPathQueue();
  return serveOnLoopback(
    'nephele',
    port,
    (request, response) => {
      if (!MUTATING_METHODS.has(request.method ?? '')) return app(request, response);
      return serialised.run(pathOf(request), response, () => app(request, response));
    },
    async () => {
      if (!dataDir) await rm(root, { recursive: true, force: true });
    },
  );
}

/** One request at a time per path; the next starts when the previous answer is finished. */
class PerPathQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(path: string, response: ServerResponse, serve: () => void): Promise<void> {
    const previous = this.tails.get(path) ?? Promise.resolve();
    const done = previous.then(
      () =>
        new Promise<void>((resolve) => {
          response.once('close', resolve);
          serve();
        }),
    );
    this.tails.set(path, done);
    void done.then(() => {
      if (this.tails.get(path) === done) this.tails.delete(path);
    });
    return previous;
  }
}

function pathOf(request: IncomingMessage): string {
  return decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname).replace(/\/+$/, '');
}
