/**
 * SYNC.md §1 against a real WebDAV server behind a misbehaving network: a loopback proxy drops
 * connections before and in the middle of bodies, delays, answers 500/502/503/507 (also after the
 * server applied a write), truncates answers and serves stale copies with old ETags. Devices edit
 * and sync through it; then the network heals, every device syncs, and the simulation's checks run.
 */
import fc from 'fast-check';
import { mulberry32, SimCommand, Simulation } from '../../src/app/sync/engine/simulation/simulation';
import { WebDavProvider } from '../../src/app/sync/providers/webdav.provider';
import { FaultProxy, PROXY_FAULTS, startFaultProxy } from '../servers/fault-proxy';
import { localServers } from './local-servers';
import { inspectFolder } from './inspect-folder';
import { uniqueFolder } from './providers';

const CASES = Number(process.env['FAULT_CASES'] ?? 10);

const command: fc.Arbitrary<SimCommand> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('edit' as const), device: fc.nat(5), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync-together' as const), devices: fc.array(fc.nat(5), { minLength: 2, maxLength: 3 }) }) },
);

describe('the sync contract through a faulty network to a real WebDAV server', () => {
  let proxy: FaultProxy;
  let nephele: string;

  beforeAll(async () => {
    nephele = (await localServers()).nephele.url;
    proxy = await startFaultProxy(nephele);
  });
  afterAll(() => proxy.close());

  it('keeps every rule while requests are dropped, delayed, refused, truncated and answered stale', async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer({ min: 2, max: 3 }), fc.array(command, { minLength: 8, maxLength: 20 }), async (seed, devices, commands) => {
        const folder = uniqueFolder('faults');
        const random = mulberry32(seed ^ 0x5eed);
        // A quarter of the requests meet a fault, at random; which fault goes round the list, so every
        // kind is met in every run (a random pick left one out in about one run in twenty).
        let next = Math.floor(random() * PROXY_FAULTS.length);
        proxy.choose = () => (random() < 0.25 ? PROXY_FAULTS[next++ % PROXY_FAULTS.length] : 'pass');
        const throughProxy = new WebDavProvider({ url: proxy.url, folder }, { timeoutMs: 5_000 });
        const direct = new WebDavProvider({ url: nephele, folder });
        const simulation = new Simulation({
          seed,
          devices,
          mode: 'compare-and-swap',
          server: { honoursConditions: true, revisions: 'unique' },
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
