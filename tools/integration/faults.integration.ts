/**
 * SYNC.md §1 against a real WebDAV server behind a misbehaving network: a loopback proxy drops
 * connections before and in the middle of bodies, delays, answers 500/502/503/507 (also after the
 * server applied a write), truncates answers and serves stale copies with old ETags. Devices edit
 * and sync through it; then the network heals, every device syncs, and the simulation's checks run.
 */
import fc from 'fast-check';
import { probeCommitMode } from '../../src/app/sync/engine/remote/probe';
import { mulberry32, SimCommand, Simulation } from '../../src/app/sync/engine/simulation/simulation';
import { WebDavProvider } from '../../src/app/sync/providers/webdav.provider';
import { FaultProxy, PROXY_FAULTS, ServerNature, startFaultProxy } from '../servers/fault-proxy';
import { inspectFolder } from './inspect-folder';
import { localServers } from './local-servers';
import { uniqueFolder, WebDavServerTarget, webDavServerTargets } from './providers';

const CASES = Number(process.env['FAULT_CASES'] ?? 10);

const command: fc.Arbitrary<SimCommand> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('edit' as const), device: fc.nat(5), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync-together' as const), devices: fc.array(fc.nat(5), { minLength: 2, maxLength: 3 }) }) },
);

const AS_IT_IS: ServerNature = { conditions: 'as-server', writes: 'as-server' };
// The proxy forwards to loopback only: a WEBDAV_URL elsewhere has no fault runs.
const targets = webDavServerTargets().filter((target) => !target.name.includes('(from WEBDAV_URL)') || /\/\/(127\.0\.0\.1|localhost)[:/]/.test(target.name));
const named = (name: string) => targets.filter((target) => target.name === name);
/**
 * Every server as it is, and nephele also checking If-Match apart from the write (Apache, nephele
 * itself). In-place writes are not in these random runs: with lasting mixes, one run in CI did not
 * finish within its 5 minutes (not yet understood); server-quirks.integration.ts shows the nature
 * and hostile-remote.test.ts the repair of a torn meta.json.
 */
// How often devices' writes meet in a run depends on timing: that each nature does what it claims
// is shown deterministically in server-quirks.integration.ts.
const runs: { target: WebDavServerTarget; nature: ServerNature; title: string }[] = [
  ...targets.map((target) => ({ target, nature: AS_IT_IS, title: target.name })),
  ...named('WebDAV on nephele').map((target) => ({ target, nature: { conditions: 'racy', writes: 'as-server' } as const, title: `${target.name} checking If-Match apart from the write (two racing PUTs both pass)` })),
];

for (const { target, nature, title } of runs) {
  describe(`the sync contract through a faulty network to ${title}`, () => {
    let proxy: FaultProxy;
    let server: { url: string; username?: string; password?: string };

    beforeAll(async () => {
      server = await target.server();
      proxy = await startFaultProxy(server.url);
      proxy.nature = nature;
    });
    afterAll(() => proxy.close());

    it('keeps every rule while requests are dropped, delayed, refused, truncated and answered stale', async () => {
      const seen: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(fc.integer(), fc.integer({ min: 2, max: 3 }), fc.array(command, { minLength: 8, maxLength: 20 }), async (seed, devices, commands) => {
          const folder = uniqueFolder('faults');
          const random = mulberry32(seed ^ 0x5eed);
          const direct = new WebDavProvider({ ...server, folder });
          const mode = (await probeCommitMode(direct)).mode;
          expect(mode).toBe(target.expectedMode);
          // A quarter of the requests meet a fault, at random; which fault goes round the list, so every
          // kind is met in every run (a random pick left one out in about one run in twenty).
          let next = Math.floor(random() * PROXY_FAULTS.length);
          proxy.choose = () => (random() < 0.25 ? PROXY_FAULTS[next++ % PROXY_FAULTS.length] : 'pass');
          const throughProxy = new WebDavProvider({ ...server, url: proxy.url + new URL(server.url).pathname, folder }, { timeoutMs: 5_000 });
          const simulation = new Simulation({
            seed,
            devices,
            mode,
            server: { honoursConditions: mode === 'compare-and-swap', revisions: 'unique' },
            faultRate: 0,
            crashRate: 0,
            commands,
            remote: { store: throughProxy, files: inspectFolder(direct) },
            onSettle: () => (proxy.choose = () => 'pass'),
            tolerate: ['invalid-remote-data', 'storage-full'],
          });
          const report = await simulation.run();
          await simulation.checkIdempotence();
          if (simulation.report.length) throw new Error(`${simulation.report.slice(0, 6).join('\n')}\nstats: ${JSON.stringify(report.stats)}`);
          for (const [fault, n] of Object.entries(proxy.counts)) seen[fault] = (seen[fault] ?? 0) + n;
          return true;
        }),
        { numRuns: CASES },
      );
      // The run really went through faults of every kind.
      for (const fault of PROXY_FAULTS) expect(seen[fault] ?? 0).withContext(fault).toBeGreaterThan(0);
    }, 300_000);
  });
}

describe('the lost project of issue 14, replayed on nephele checking If-Match apart from the write', () => {
  let proxy: FaultProxy;
  let url: string;
  beforeAll(async () => {
    url = (await localServers()).nephele.url;
    proxy = await startFaultProxy(url);
    proxy.nature = { conditions: 'racy', writes: 'as-server' };
  });
  afterAll(() => proxy.close());

  // Found on Apache mod_dav (FileETag Digest), 8 of 8 replays: two compactions racing on one ETag both
  // passed If-Match, and the one written over had put its own new writes only into its snapshot,
  // which no root named and nobody merged; its writer had been told "synced". Fixed in 89f34e5 (a
  // compaction also writes its writes as a delta, which the unnamed-delta scan finds). This replays
  // the case as it was generated then (a fault drawn at random per request), with the same seed.
  it('keeps the project the losing compaction carried', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer({ min: 2, max: 3 }), fc.array(command, { minLength: 8, maxLength: 20 }), async (seed, devices, commands) => {
        const folder = uniqueFolder('faults-replay');
        const random = mulberry32(seed ^ 0x5eed);
        proxy.choose = () => (random() < 0.25 ? PROXY_FAULTS[Math.floor(random() * PROXY_FAULTS.length)]! : 'pass');
        const simulation = new Simulation({
          seed,
          devices,
          mode: 'compare-and-swap',
          server: { honoursConditions: true, revisions: 'unique' },
          faultRate: 0,
          crashRate: 0,
          commands,
          remote: { store: new WebDavProvider({ url: proxy.url + '/', folder }, { timeoutMs: 5_000 }), files: inspectFolder(new WebDavProvider({ url, folder })) },
          onSettle: () => (proxy.choose = () => 'pass'),
          tolerate: ['invalid-remote-data', 'storage-full'],
        });
        const report = await simulation.run();
        if (simulation.report.length) throw new Error(`${simulation.report.slice(0, 6).join('\n')}\nstats: ${JSON.stringify(report.stats)}`);
        return true;
      }),
      { numRuns: 1, seed: 566675468, path: '19:32:34', endOnFailure: true },
    );
  }, 120_000);
});
