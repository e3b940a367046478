/**
 * `npm run bench [-- --json] [-- --latency=N] [-- --sizes=1000,10000,50000] [-- --reps=N]`
 *
 * Per-entity delta sync (the engine) against whole-file sync (one `main.json`), both through the
 * real WebDAV provider against the local nephele server (compare-and-swap), with a loopback proxy
 * in front that adds N ms to every request and counts what crosses the wire. Then engine-side
 * figures in process (issue 5). Prints tables and PASS/MISS per target, or one JSON object.
 */
import { gzipSync } from 'node:zlib';
import { RemoteStore } from '../../src/app/sync/engine/remote/remote-store';
import { WebDavProvider } from '../../src/app/sync/providers/webdav.provider';
import { startOne } from '../servers/start-servers';
import { probeCommitMode } from '../../src/app/sync/engine/remote/probe';
import type { CommitMode } from '../../src/app/sync/engine/remote/remote-store';
import { BenchEntity, generate, METRIC_DAYS, PROJECTS, TAGS } from './data';
import { BenchDevice, DeltaDevice, EditSpec, RoundInfo, WholeFileDevice } from './devices';
import { engineSide, EngineSideFigures } from './engine-side';
import { LatencyProxy, startLatencyProxy, WireTotals } from './latency-proxy';
import { median } from './median';

type Method = 'delta' | 'wholeFile';

const SCENARIOS = [
  'no change',
  'one task edited',
  'other device pulls one edit',
  '100 tasks edited',
  'other device pulls 100 edits',
  'two devices edit at once, both sync',
  'new device downloads everything',
] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Sample {
  readonly requests: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly headerBytes: number;
  readonly ms: number;
  readonly storeCalls: number;
  readonly compacted: boolean;
  readonly requestLine: string;
  /** The largest meta.json body that crossed the wire in this run (0: none). */
  readonly metaMax: number;
  /** Bodies of GETs that read back a file this run just PUT (the provider learning the new ETag). */
  readonly readBackBytes: number;
  /** meta.json bodies, both ways. */
  readonly metaBytes: number;
}

export interface ScenarioFigures {
  /** HTTP requests on the wire (median over runs). */
  readonly requests: number;
  /** Request and response bodies, bytes (median). */
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Bodies plus request/status lines and headers, both ways (median). */
  readonly wireBytes: number;
  /** Median wall time of the sync round(s), ms. */
  readonly ms: number;
  /** RemoteStore calls as the engine's own meter counts them (median). */
  readonly storeCalls: number;
  readonly runs: number;
  readonly compactedRuns: number;
  /** Of bytesReceived: GET bodies that read back a file the round had just PUT (median). */
  readonly readBackBytes: number;
  /** Of the bodies: meta.json written and read (median). */
  readonly metaBytes: number;
  /** The requests of the median run, e.g. "GET meta.json 304". */
  readonly requestsSeen: string;
}

interface SizeResult {
  readonly tasks: number;
  readonly entities: number;
  readonly runs: number;
  readonly scenarios: Record<Scenario, Record<Method, ScenarioFigures> & { ratio: { requests: number; wireBytes: number; ms: number } }>;
  readonly initialUpload: Record<Method, ScenarioFigures>;
  /** A new device right after the remote was written as one snapshot (no deltas listed): one run. */
  readonly newDeviceAfterSnapshot: Record<Method, ScenarioFigures>;
  readonly metaJson: { bytes: number; deltasListed: number; largestSeen: number; projectedAt39Deltas: number; bytesPerListedDelta: number };
  readonly newDevice: { rawJsonBytes: number; gzipOfRawJson: number; deltaReceived: number; fractionOfRaw: number };
}


function summarise(samples: Sample[]): ScenarioFigures {
  const wire = samples.map((s) => s.bytesSent + s.bytesReceived + s.headerBytes);
  const mid = samples.map((s, i) => [s.ms, i] as const).sort((a, b) => a[0] - b[0])[Math.floor(samples.length / 2)][1];
  return {
    requests: median(samples.map((s) => s.requests)),
    bytesSent: median(samples.map((s) => s.bytesSent)),
    bytesReceived: median(samples.map((s) => s.bytesReceived)),
    wireBytes: median(wire),
    ms: Math.round(median(samples.map((s) => s.ms)) * 10) / 10,
    storeCalls: median(samples.map((s) => s.storeCalls)),
    runs: samples.length,
    compactedRuns: samples.filter((s) => s.compacted).length,
    readBackBytes: median(samples.map((s) => s.readBackBytes)),
    metaBytes: median(samples.map((s) => s.metaBytes)),
    requestsSeen: samples[mid].requestLine,
  };
}

function requestsOf(totals: WireTotals, folder: string): string {
  return totals.log
    .map((r) => `${r.method} ${r.path.replace(`/${folder}/`, '').replace(/^(deltas|snapshots)\/.*/, '$1/…')} ${r.status}`)
    .join(', ');
}

function readBack(totals: WireTotals): number {
  const put = new Set<string>();
  let bytes = 0;
  for (const r of totals.log) {
    if (r.method === 'PUT') put.add(r.path);
    else if (r.method === 'GET' && put.has(r.path)) bytes += r.receivedBodyBytes;
  }
  return bytes;
}

async function measure(proxy: LatencyProxy, folder: string, run: () => Promise<RoundInfo | RoundInfo[]>): Promise<Sample> {
  proxy.reset();
  const start = performance.now();
  const info = [await run()].flat();
  const ms = performance.now() - start;
  const totals = proxy.reset();
  return {
    requests: totals.requests,
    bytesSent: totals.bytesSent,
    bytesReceived: totals.bytesReceived,
    headerBytes: totals.headerBytes,
    ms,
    storeCalls: info.reduce((sum, i) => sum + i.storeCalls, 0),
    compacted: info.some((i) => i.compacted),
    requestLine: requestsOf(totals, folder),
    readBackBytes: readBack(totals),
    metaBytes: totals.log.filter((r) => r.path.endsWith('/meta.json')).reduce((sum, r) => sum + r.sentBodyBytes + r.receivedBodyBytes, 0),
    metaMax: Math.max(0, ...totals.log.filter((r) => r.path.endsWith('/meta.json')).map((r) => Math.max(r.sentBodyBytes, r.receivedBodyBytes))),
  };
}

interface MethodRun {
  readonly samples: Record<Scenario, Sample[]>;
  readonly initialUpload: Sample;
  /** B's first sync, right after A's first upload: a new device when the root names only a snapshot. */
  readonly afterSnapshot: Sample;
  readonly folder: string;
  readonly store: () => RemoteStore;
}

/** The server the bench runs against: nephele by default, or WEBDAV_URL / WEBDAV_USER / WEBDAV_PASSWORD (as the integration suite). */
interface BenchTarget {
  /** The share's path on the server (the proxy keeps it). */
  readonly path: string;
  readonly username?: string;
  readonly password?: string;
  readonly mode: CommitMode;
  readonly label: string;
}

let target: BenchTarget = { path: '/', mode: 'compare-and-swap', label: 'nephele (compare-and-swap)' };

async function runMethod(method: Method, proxy: LatencyProxy, data: readonly BenchEntity[], reps: number): Promise<MethodRun> {
  const folder = `bench/${method}-${data.length}-${Date.now().toString(36)}`;
  const store = () => new WebDavProvider({ url: `${proxy.url}${target.path}`, folder, username: target.username, password: target.password });
  const open = async (name: string, initial: readonly BenchEntity[] = []): Promise<BenchDevice> =>
    method === 'delta' ? DeltaDevice.open(store(), name, initial, target.mode) : new WholeFileDevice(store(), initial);
  const taskIds = data.filter((e) => e.type === 'task').map((e) => e.entity.id);
  const samples = Object.fromEntries(SCENARIOS.map((s) => [s, [] as Sample[]])) as Record<Scenario, Sample[]>;

  const a = await open('A', data);
  const initialUpload = await measure(proxy, folder, () => a.sync());
  const b = await open('B');
  const afterSnapshot = await measure(proxy, folder, () => b.sync());
  await a.sync();

  const check = (device: BenchDevice, edits: readonly EditSpec[], who: string) => {
    for (const { id, title } of edits) {
      if (device.task(id)?.['title'] !== title) throw new Error(`${method}: ${who} does not show ${id} as "${title}" (shows "${device.task(id)?.['title']}")`);
    }
  };

  for (let rep = 0; rep < reps; rep++) {
    samples['no change'].push(await measure(proxy, folder, () => a.sync()));

    const one: EditSpec[] = [{ id: taskIds[(rep * 7919 + 11) % taskIds.length], title: `one edit ${rep}` }];
    await a.editTasks(one);
    samples['one task edited'].push(await measure(proxy, folder, () => a.sync()));
    samples['other device pulls one edit'].push(await measure(proxy, folder, () => b.sync()));
    check(b, one, 'B');

    const offset = (rep * 104_729 + 3) % taskIds.length;
    const hundred: EditSpec[] = Array.from({ length: 100 }, (_, i) => ({ id: taskIds[(offset + i * 37) % taskIds.length], title: `batch ${rep} #${i}` }));
    await a.editTasks(hundred);
    samples['100 tasks edited'].push(await measure(proxy, folder, () => a.sync()));
    samples['other device pulls 100 edits'].push(await measure(proxy, folder, () => b.sync()));
    check(b, hundred, 'B');

    const onA: EditSpec[] = [{ id: taskIds[(rep * 31 + 5) % taskIds.length], title: `A at once ${rep}` }];
    const onB: EditSpec[] = [{ id: taskIds[(rep * 31 + 17) % taskIds.length], title: `B at once ${rep}` }];
    await a.editTasks(onA);
    await b.editTasks(onB);
    samples['two devices edit at once, both sync'].push(await measure(proxy, folder, () => Promise.all([a.sync(), b.sync()])));
    // Settle (not measured): each device pulls what the other committed.
    await a.sync();
    await b.sync();
    await a.sync();
    check(a, [...onA, ...onB], 'A');
    check(b, [...onA, ...onB], 'B');
  }

  for (let rep = 0; rep < reps; rep++) {
    const c = await open(`C${rep}`);
    samples['new device downloads everything'].push(await measure(proxy, folder, () => c.sync()));
    check(c, [{ id: taskIds[0], title: String(a.task(taskIds[0])?.['title']) }], 'C');
  }
  return { samples, initialUpload, afterSnapshot, folder, store };
}

async function runSize(proxy: LatencyProxy, tasks: number, reps: number, log: (line: string) => void): Promise<SizeResult> {
  const data = generate(tasks);
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  log(`  ${tasks} tasks: whole-file…`);
  const whole = await runMethod('wholeFile', proxy, data, reps);
  log(`  ${tasks} tasks: delta… (${since()})`);
  const delta = await runMethod('delta', proxy, data, reps);
  log(`  ${tasks} tasks: done (${since()})`);

  const scenarios = {} as SizeResult['scenarios'];
  for (const s of SCENARIOS) {
    const d = summarise(delta.samples[s]);
    const w = summarise(whole.samples[s]);
    scenarios[s] = { delta: d, wholeFile: w, ratio: { requests: d.requests / w.requests, wireBytes: d.wireBytes / w.wireBytes, ms: d.ms / w.ms } };
  }

  // meta.json as it stands now, the largest body of it seen on the wire, and its size at 39 deltas (the most before compaction).
  const metaRead = await delta.store().read('meta.json');
  if (metaRead.status !== 'ok') throw new Error('meta.json is missing');
  const meta = JSON.parse(new TextDecoder().decode(metaRead.data)) as { deltas: unknown[] };
  const perDelta = meta.deltas.length ? meta.deltas.reduce<number>((sum, d) => sum + JSON.stringify(d).length + 1, 0) / meta.deltas.length : 0;
  const all = Object.values(delta.samples).flat();
  const largestSeen = Math.max(metaRead.data.byteLength, ...all.map((sample) => sample.metaMax));
  // The raw JSON of the whole state: the main.json the whole-file method holds at the end.
  const mainRead = await whole.store().read('main.json');
  if (mainRead.status !== 'ok') throw new Error('main.json is missing');
  const raw = mainRead.data.byteLength;
  const newDevice = scenarios['new device downloads everything'].delta;
  return {
    tasks,
    entities: data.length,
    runs: reps,
    scenarios,
    initialUpload: { delta: summarise([delta.initialUpload]), wholeFile: summarise([whole.initialUpload]) },
    newDeviceAfterSnapshot: { delta: summarise([delta.afterSnapshot]), wholeFile: summarise([whole.afterSnapshot]) },
    metaJson: {
      bytes: metaRead.data.byteLength,
      deltasListed: meta.deltas.length,
      largestSeen,
      projectedAt39Deltas: Math.round(metaRead.data.byteLength + Math.max(0, 39 - meta.deltas.length) * perDelta),
      bytesPerListedDelta: Math.round(perDelta),
    },
    newDevice: { rawJsonBytes: raw, gzipOfRawJson: gzipSync(mainRead.data).byteLength, deltaReceived: newDevice.bytesReceived, fractionOfRaw: newDevice.bytesReceived / raw },
  };
}

// ---------------------------------------------------------------------------------------------

interface Target {
  readonly name: string;
  readonly pass: boolean;
  readonly measured: string;
  readonly holdsBack?: string;
}

function targets(at10k: SizeResult | undefined, all: SizeResult[]): Target[] {
  const out: Target[] = [];
  if (at10k) {
    const s = at10k.scenarios;
    const none = s['no change'].delta;
    out.push({
      name: 'no change: 1 request, no body',
      pass: none.requests === 1 && none.bytesSent === 0 && none.bytesReceived === 0,
      measured: `${none.requests} request (${none.requestsSeen}), ${none.bytesSent + none.bytesReceived} body bytes`,
    });
    const one = s['one task edited'];
    out.push({
      name: 'one task edited: at most 2 requests',
      pass: one.delta.requests <= 2,
      measured: `${one.delta.requests} HTTP requests (${one.delta.requestsSeen}); ${one.delta.storeCalls} RemoteStore calls`,
      holdsBack:
        one.delta.requests > 2
          ? 'the WebDAV provider: nephele sends no ETag in PUT answers, so each PUT is followed by a HEAD (create-only delta) or a GET read-back (meta.json) to learn the new ETag'
          : undefined,
    });
    out.push({
      name: 'one task edited: at most 8 KB on the wire in total',
      pass: one.delta.wireBytes <= 8192,
      measured: `${one.delta.wireBytes} B (bodies ${one.delta.bytesSent + one.delta.bytesReceived} B + headers)`,
      holdsBack:
        one.delta.wireBytes > 8192
          ? `meta.json: ${one.delta.metaBytes} B of the bodies are meta.json, written in full and read back in full by the provider; meta.json grows with every delta it lists`
          : undefined,
    });
    const factor = one.wholeFile.wireBytes / one.delta.wireBytes;
    const conservative = (one.wholeFile.wireBytes - one.wholeFile.readBackBytes) / one.delta.wireBytes;
    out.push({
      name: 'one task edited: at least 100x fewer bytes than whole-file',
      pass: factor >= 100,
      measured: `${factor.toFixed(0)}x fewer (${one.delta.wireBytes} B vs ${one.wholeFile.wireBytes} B); still ${conservative.toFixed(0)}x without the whole-file read-back GET of ${one.wholeFile.readBackBytes} B`,
    });
    const pull1 = s['other device pulls one edit'].delta;
    out.push({ name: 'other device pulls one edit: at most 2 requests', pass: pull1.requests <= 2, measured: `${pull1.requests} (${pull1.requestsSeen})` });
    const pull100 = s['other device pulls 100 edits'].delta;
    out.push({ name: 'other device pulls 100 edits: at most 3 requests', pass: pull100.requests <= 3, measured: `${pull100.requests} (${pull100.requestsSeen})` });
    const fresh = s['new device downloads everything'].delta;
    out.push({
      name: 'new device: at most 4 requests',
      pass: fresh.requests <= 4,
      measured: `${fresh.requests} (${fresh.requestsSeen})`,
      holdsBack:
        fresh.requests > 4
          ? `meta.json listed ${at10k.metaJson.deltasListed} deltas since the last snapshot, and a new device fetches the snapshot and each of them (one GET per delta; compaction into one snapshot happens only at 40 deltas or 512 KB)`
          : undefined,
    });
    out.push({
      name: 'new device: compressed transfer at most 40% of the raw JSON',
      pass: at10k.newDevice.fractionOfRaw <= 0.4,
      measured: `${(at10k.newDevice.fractionOfRaw * 100).toFixed(1)}% (${at10k.newDevice.deltaReceived} B vs ${at10k.newDevice.rawJsonBytes} B raw)`,
    });
  }
  const worst = Math.max(...all.map((r) => Math.max(r.metaJson.bytes, r.metaJson.largestSeen, r.metaJson.projectedAt39Deltas)));
  out.push({
    name: 'meta.json at most 16 KB at any data size',
    pass: worst <= 16384,
    measured: all.map((r) => `${r.tasks} tasks: ${r.metaJson.bytes} B with ${r.metaJson.deltasListed} deltas (largest seen ${r.metaJson.largestSeen} B, ~${r.metaJson.projectedAt39Deltas} B at 39 deltas)`).join('; '),
    holdsBack:
      worst > 16384
        ? `the delta list: each entry averages ${Math.round(Math.max(...all.map((r) => r.metaJson.bytesPerListedDelta)))} B here, because its "dots" ranges also name the dots of the values the delta replaced (this device's older writes, scattered over its counter), so an entry grows with the registers the delta changed; 40 entries are allowed before compaction`
        : undefined,
  });
  return out;
}

// ---------------------------------------------------------------------------------------------

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

function ratio(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value < 0.5 ? `1/${(1 / value).toFixed(value < 0.1 ? 0 : 1)}` : `${value.toFixed(2)}x`;
}

function table(result: SizeResult): string {
  const lines = [
    `### ${result.tasks.toLocaleString('en')} tasks (${result.entities.toLocaleString('en')} entities; median of ${result.runs} runs)`,
    '',
    '| scenario | delta: requests | delta: sent | delta: received | delta: ms | whole-file: requests | whole-file: sent | whole-file: received | whole-file: ms | delta ÷ whole-file: requests / wire bytes / time |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of SCENARIOS) {
    const { delta: d, wholeFile: w, ratio: r } = result.scenarios[s];
    lines.push(
      `| ${s}${d.compactedRuns ? ` (${d.compactedRuns} compacted)` : ''} | ${d.requests} | ${kb(d.bytesSent)} | ${kb(d.bytesReceived)} | ${d.ms} | ${w.requests} | ${kb(w.bytesSent)} | ${kb(w.bytesReceived)} | ${w.ms} | ${ratio(r.requests)} / ${ratio(r.wireBytes)} / ${ratio(r.ms)} |`,
    );
  }
  const up = result.initialUpload;
  lines.push(
    '',
    `First upload (once, not in the medians): delta ${up.delta.requests} requests, ${kb(up.delta.bytesSent)} sent, ${up.delta.ms} ms; whole-file ${up.wholeFile.requests} requests, ${kb(up.wholeFile.bytesSent)} sent, ${up.wholeFile.ms} ms.`,
    `New device right after the first upload (root names one snapshot, no deltas; once): delta ${result.newDeviceAfterSnapshot.delta.requests} requests (${result.newDeviceAfterSnapshot.delta.requestsSeen}), ${kb(result.newDeviceAfterSnapshot.delta.bytesReceived)} received, ${result.newDeviceAfterSnapshot.delta.ms} ms; whole-file ${result.newDeviceAfterSnapshot.wholeFile.requests} request, ${kb(result.newDeviceAfterSnapshot.wholeFile.bytesReceived)}, ${result.newDeviceAfterSnapshot.wholeFile.ms} ms.`,
    `meta.json: ${kb(result.metaJson.bytes)} listing ${result.metaJson.deltasListed} deltas at the end (largest seen on the wire ${kb(result.metaJson.largestSeen)}; about ${kb(result.metaJson.projectedAt39Deltas)} at 39 deltas, the most before compaction).`,
    `New device: ${kb(result.newDevice.deltaReceived)} received (gzip snapshot + meta.json) vs ${kb(result.newDevice.rawJsonBytes)} raw JSON of the whole state (${(result.newDevice.fractionOfRaw * 100).toFixed(1)}%; gzip of that raw JSON would be ${kb(result.newDevice.gzipOfRawJson)}).`,
    '',
    'Requests of the median run:',
    '',
    ...SCENARIOS.map((s) => `- ${s}: delta: ${result.scenarios[s].delta.requestsSeen || '(none)'}; whole-file: ${result.scenarios[s].wholeFile.requestsSeen || '(none)'}`),
  );
  return lines.join('\n');
}

function engineTable(e: EngineSideFigures): string {
  return [
    `### Engine side, in process, no server (${e.tasks.toLocaleString('en')} tasks)`,
    '',
    '| what | ms |',
    '| --- | ---: |',
    `| a fresh engine merging a ${e.tasks.toLocaleString('en')}-task snapshot: its first round against the in-memory remote (median of ${e.freshEngineRuns}) | ${e.freshEngineMergesSnapshot.toFixed(1)} |`,
    `| \`recordLocalChanges\` for one edited task (median of ${e.recordLocalChangesPerEdit.calls} calls; p95 ${e.recordLocalChangesPerEdit.p95.toFixed(3)}) | ${e.recordLocalChangesPerEdit.median.toFixed(3)} |`,
    `| recording the whole data set as local changes on an empty engine (one call, once) | ${e.recordInitialData.toFixed(1)} |`,
    `| a round with nothing new (median of ${e.freshEngineRuns}) | ${e.noChangeRound.toFixed(1)} |`,
    `| a round committing one edited task (median of ${e.freshEngineRuns}) | ${e.commitOneEditRound.toFixed(1)} |`,
    `| the other engine's round pulling that edit (median of ${e.freshEngineRuns}) | ${e.pullOneEditRound.toFixed(1)} |`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const latency = Number(value('latency') ?? 0);
  const sizes = (value('sizes') ?? '1000,10000,50000').split(',').map(Number);
  const repsOverride = value('reps') ? Number(value('reps')) : undefined;
  const log = (line: string) => process.stderr.write(line + '\n');

  const started = Date.now();
  const external = process.env['WEBDAV_URL'];
  const server = external ? null : await startOne('nephele');
  const upstream = new URL(external ?? server!.url);
  const proxy = await startLatencyProxy(upstream.origin, latency);
  if (external) {
    const credentials = { username: process.env['WEBDAV_USER'] || undefined, password: process.env['WEBDAV_PASSWORD'] || undefined };
    const probe = await probeCommitMode(new WebDavProvider({ url: `${proxy.url}${upstream.pathname}`, folder: 'bench-probe', ...credentials }));
    target = { path: upstream.pathname, ...credentials, mode: probe.mode, label: `${upstream.origin}${upstream.pathname} from WEBDAV_URL (${probe.mode})` };
  }
  const results: SizeResult[] = [];
  try {
    for (const tasks of sizes) {
      const reps = repsOverride ?? (tasks >= 50_000 ? 3 : 5);
      results.push(await runSize(proxy, tasks, reps, log));
    }
  } finally {
    await proxy.close();
    await server?.stop();
  }
  log('  engine side…');
  const engine = await engineSide(10_000, 5, 200);
  const checks = targets(results.find((r) => r.tasks === 10_000), results);
  const report = {
    command: `npm run bench -- ${args.join(' ')}`.trim(),
    date: new Date().toISOString(),
    node: process.version,
    latencyMs: latency,
    server: `${target.label}, through tools/bench/latency-proxy.ts`,
    data: { projects: PROJECTS, tags: TAGS, metrics: METRIC_DAYS, seed: 7 },
    sizes: results,
    engineSide: engine,
    targets: checks,
    totalSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const out = [
    `Per-entity delta sync vs whole-file sync: WebDAV provider -> loopback proxy (${latency} ms per request) -> ${target.label}.`,
    'Requests and bytes are what crossed the proxy (HTTP requests, request and response bodies); "wire bytes" in the ratio add request/status lines and headers.',
    '',
    ...results.map(table).flatMap((t) => [t, '']),
    engineTable(engine),
    '',
    '### Targets (10,000 tasks)',
    '',
    ...checks.map((t) => `${t.pass ? 'PASS' : 'MISS'} ${t.name}: ${t.measured}${t.holdsBack ? ` — held back by ${t.holdsBack}` : ''}`),
    '',
    `(${report.totalSeconds} s)`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
