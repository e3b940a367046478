/**
 * `npm run bench:servers`: what one edit and one round with nothing to do cost on every server of
 * the integration suite (nephele, webdav-server v2, Apache mod_dav with Digest and with MTime Size
 * ETags, nginx dav, rclone, the Dropbox emulator): the probe's verdict, and the HTTP requests of
 * the editing device's round, of the other device pulling the edit, and of a round with no change.
 * Prints a Markdown table for docs/providers.md. Medians of 5 repetitions, 200 tasks.
 */
import { readFileSync } from 'node:fs';
import { probeCommitMode } from '../../src/app/sync/engine/remote/probe';
import { RemoteStore } from '../../src/app/sync/engine/remote/remote-store';
import { WebDavProvider } from '../../src/app/sync/providers/webdav.provider';
import { localServers, stopLocalServers } from '../integration/local-servers';
import { providerTargets, uniqueFolder, webDavServerTargets } from '../integration/providers';
import { generate } from './data';
import { DeltaDevice } from './devices';
import { startLatencyProxy } from './latency-proxy';
import { median } from './median';

const REPS = 5;

interface Row {
  readonly server: string;
  readonly verdict: string;
  readonly edit: number;
  readonly pull: number;
  readonly idle: number;
}


/** Runs the three rounds on two devices, counting requests with `count()` around each. */
async function measure(store: () => RemoteStore, count: () => number, mode: 'compare-and-swap' | 'lock'): Promise<Omit<Row, 'server' | 'verdict'>> {
  const data = generate(200);
  const a = await DeltaDevice.open(store(), 'a', data, mode);
  await a.sync();
  const b = await DeltaDevice.open(store(), 'b', [], mode);
  await b.sync();
  const edit: number[] = [];
  const pull: number[] = [];
  const idle: number[] = [];
  const task = data.find((entity) => entity.type === 'task')!.entity.id;
  for (let rep = 0; rep < REPS; rep++) {
    await a.editTasks([{ id: task, title: `Edited ${rep}` }]);
    let before = count();
    await a.sync();
    edit.push(count() - before);
    before = count();
    await b.sync();
    pull.push(count() - before);
    if (b.task(task)?.['title'] !== `Edited ${rep}`) throw new Error('the other device did not receive the edit');
    before = count();
    await b.sync();
    idle.push(count() - before);
  }
  return { edit: median(edit), pull: median(pull), idle: median(idle) };
}

function version(pkg: string): string {
  return (JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const labels: Record<string, string> = {
    'WebDAV on nephele': `nephele ${version('nephele')}`,
    'WebDAV on webdav-server v2': `webdav-server ${version('webdav-server')}`,
  };
  try {
    for (const target of webDavServerTargets()) {
      const server = await target.server();
      const proxy = await startLatencyProxy(server.url, 0);
      try {
        const folder = uniqueFolder('servers-table');
        const through = () => new WebDavProvider({ ...server, url: proxy.url + new URL(server.url).pathname, folder });
        const probe = await probeCommitMode(new WebDavProvider({ ...server, folder }));
        const figures = await measure(through, () => proxy.totals.requests, probe.mode);
        const label = 'label' in server && typeof server.label === 'string' ? server.label : (labels[target.name] ?? target.name);
        rows.push({ server: label, verdict: probe.mode, ...figures });
        console.error(`measured ${label}`);
      } finally {
        await proxy.close();
      }
    }
    const dropboxTarget = providerTargets().find((target) => target.name.startsWith('Dropbox'))!;
    const { dropbox } = await localServers();
    const folder = uniqueFolder('servers-table');
    const stores: RemoteStore[] = [];
    const probe = await probeCommitMode(await dropboxTarget.create(folder));
    const apiCalls = () => [...dropbox.emulator.requestCounts.entries()].filter(([path]) => path.startsWith('/2/')).reduce((sum, [, n]) => sum + n, 0);
    for (let i = 0; i < 2; i++) stores.push(await dropboxTarget.create(folder));
    let next = 0;
    rows.push({ server: 'Dropbox emulator (tools/servers/dropbox-emulator.ts)', verdict: probe.mode, ...(await measure(() => stores[next++ % 2]!, apiCalls, probe.mode)) });
  } finally {
    // Apache, nginx and rclone are child processes: stopped (and their folders removed) whatever happened.
    await stopLocalServers();
  }

  console.log('| server | probe verdict | requests: one edit (editing device) | requests: pulling it (other device) | requests: round with no change |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.server} | ${row.verdict} | ${row.edit} | ${row.pull} | ${row.idle} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
