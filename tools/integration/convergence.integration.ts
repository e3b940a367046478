/**
 * The engine's contract (SYNC.md §1) through each real provider and server: several devices edit
 * and sync concurrently through one sync folder, some requests are lost on the way, then every
 * device syncs until they agree, and the simulation's checks run on the result.
 */
import fc from 'fast-check';
import { probeCommitMode } from '../../src/app/sync/engine/remote/probe';
import { SimCommand, Simulation } from '../../src/app/sync/engine/simulation/simulation';
import { inspectFolder } from './inspect-folder';
import { providerTargets, uniqueFolder } from './providers';

const CASES = Number(process.env['CONVERGENCE_CASES'] ?? 4);

const command: fc.Arbitrary<SimCommand> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('edit' as const), device: fc.nat(5), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync-together' as const), devices: fc.array(fc.nat(5), { minLength: 2, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolve' as const), device: fc.nat(5) }) },
);

for (const target of providerTargets()) {
  describe(`convergence through ${target.name}`, () => {
    beforeAll(() => target.start());

    it('keeps the sync contract with two and three devices editing and syncing at once', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer(), fc.integer({ min: 2, max: 3 }), fc.array(command, { minLength: 6, maxLength: 18 }), async (seed, devices, commands) => {
          const store = await target.create(uniqueFolder('convergence'));
          const mode = (await probeCommitMode(store)).mode;
          expect(mode).toBe(target.expectedMode);
          const simulation = new Simulation({
            seed,
            devices,
            mode,
            server: { honoursConditions: mode === 'compare-and-swap', revisions: 'unique' },
            faultRate: 0.03,
            crashRate: 0.2,
            commands,
            remote: { store, files: inspectFolder(store) },
          });
          const report = await simulation.run();
          await simulation.checkIdempotence();
          if (simulation.report.length) throw new Error(`${simulation.report.slice(0, 6).join('\n')}\nstats: ${JSON.stringify(report.stats)}`);
          // The checks above looked at the real folder: make sure they saw it.
          const files = await inspectFolder(store)();
          if (report.stats['round synced']) expect([...files.keys()].filter((path) => path === 'meta.json' || path.startsWith('snapshots/') || path.startsWith('deltas/')).length).toBeGreaterThanOrEqual(2);
          return true;
        }),
        { numRuns: CASES },
      );
    }, 240_000);
  });
}
