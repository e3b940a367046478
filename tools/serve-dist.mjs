#!/usr/bin/env node
// Serves the production build (dist/tandem-tasks/browser) with a fallback to index.html for the
// app's routes. Used by Playwright and the screenshot script: no dev server, no file watching.
// Usage: node tools/serve-dist.mjs [--port 4300] [--dir dist/tandem-tasks/browser]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const port = Number(option('port', process.env.PORT ?? 4300));
const root = resolve(option('dir', 'dist/tandem-tasks/browser'));

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.ico': 'image/x-icon', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8',
};

async function fileFor(urlPath) {
  const path = normalize(join(root, decodeURIComponent(urlPath.split('?')[0])));
  if (!path.startsWith(root)) return null;
  try {
    if ((await stat(path)).isFile()) return path;
  } catch {
    /* not a file: fall through to the app shell */
  }
  return null;
}

createServer(async (req, res) => {
  try {
    const path = (await fileFor(req.url ?? '/')) ?? join(root, 'index.html');
    const body = await readFile(path);
    const hashed = /-[A-Z0-9]{8}\.(js|css)$/.test(path);
    res.writeHead(200, {
      'content-type': types[extname(path)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(body);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`Cannot serve ${req.url}: ${error.message}. Was the app built (npx ng build)?`);
  }
}).listen(port, '127.0.0.1', () => console.log(`Serving ${root} at http://127.0.0.1:${port}/`));
