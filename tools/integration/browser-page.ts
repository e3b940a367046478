import { build } from 'esbuild';
import { createServer, Server } from 'node:http';

/**
 * The providers bundled for the browser the way the Angular build does it (browser field first,
 * nothing left external: a Node-only import fails the bundle, as it would blank the app), served from
 * their own loopback origin so every request to a sync server is cross-origin, as in the app.
 */
export async function serveProvidersPage(): Promise<{ url: string; stop(): Promise<void> }> {
  const bundle = await build({
    stdin: {
      contents: `
        export { WebDavProvider } from './src/app/sync/providers/webdav.provider';
        export { DropboxProvider } from './src/app/sync/providers/dropbox.provider';
        export { probeCommitMode } from './src/app/sync/engine/remote/probe';`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: 'providers',
    mainFields: ['es2020', 'es2015', 'browser', 'module', 'main'],
    conditions: ['es2020', 'es2015', 'module', 'browser'],
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const server: Server = createServer((request, response) => {
    if (request.url === '/providers.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' });
      response.end(script);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>providers</title><script src="/providers.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('No TCP port.');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
