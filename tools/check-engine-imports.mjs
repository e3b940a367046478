// The sync engine must run in Node and in the browser alike: it may import only itself and plain
// libraries. And it stays split along its seams (crdt/, replica/, remote/, round/): no engine file
// over 300 lines, and the facade sync-engine.ts at most 250.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';

const ENGINE = resolve('src/app/sync/engine');
const ALLOWED_PACKAGES = new Set(['fast-check']);
const problems = [];

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts')) check(path);
  }
}

const MAX_LINES = 300;
const MAX_FACADE_LINES = 250;

function check(file) {
  const source = readFileSync(file, 'utf8');
  const lines = source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
  const limit = file === join(ENGINE, 'sync-engine.ts') ? MAX_FACADE_LINES : MAX_LINES;
  if (lines > limit) problems.push(`${file}: ${lines} lines; an engine file holds one idea in at most ${limit} (split it along its seam)`);
  const specifiers = [...source.matchAll(/(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2],
  );
  for (const spec of specifiers) {
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(ENGINE)) problems.push(`${file}: imports ${spec}, which is outside sync/engine`);
    } else if (!ALLOWED_PACKAGES.has(spec)) {
      problems.push(`${file}: imports '${spec}'; the engine may import only itself and ${[...ALLOWED_PACKAGES].join(', ')}`);
    }
  }
  if (/\b(window|document|localStorage|indexedDB)\./.test(source)) {
    problems.push(`${file}: touches a browser global; the engine must run in Node`);
  }
}

walk(ENGINE);
if (problems.length) {
  console.error('sync/engine import check failed:\n' + problems.join('\n'));
  process.exit(1);
}
console.log(`sync/engine check: only engine-internal and plain-library imports; no file over ${MAX_LINES} lines, the facade at most ${MAX_FACADE_LINES}.`);
