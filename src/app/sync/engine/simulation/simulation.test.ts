import fc from 'fast-check';
import { CommitMode } from '../remote-store';
import { SimCommand, Simulation, SimulationConfig } from './simulation';

/**
 * SYNC.md §1, checked by a randomized simulation. Every test run executes RUNS cases per setting (4 settings);
 * `npm run soak` runs thousands. A failing case prints its seed and commands: replay it with
 * SIM_SEED=<seed> (fast-check's seed) and SIM_PATH=<path>.
 */
const RUNS = Number(process.env['SIM_RUNS'] ?? 250);
const SEED = process.env['SIM_SEED'] ? Number(process.env['SIM_SEED']) : undefined;
const PATH = process.env['SIM_PATH'];

const command: fc.Arbitrary<SimCommand> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('edit' as const), device: fc.nat(7), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: fc.nat(7) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync-together' as const), devices: fc.array(fc.nat(7), { minLength: 2, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolve' as const), device: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('backup' as const), device: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), device: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'join' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 90_000 }) }) },
);

function scenario(mode: CommitMode, server: SimulationConfig['server']): fc.Arbitrary<SimulationConfig> {
  return fc.record({
    seed: fc.integer(),
    devices: fc.integer({ min: 2, max: 5 }),
    mode: fc.constant(mode),
    server: fc.constant(server),
    faultRate: fc.constantFrom(0, 0.05, 0.15),
    crashRate: fc.constantFrom(0, 0.3),
    commands: fc.array(command, { minLength: 5, maxLength: 45 }),
  });
}

async function holdsTheContract(config: SimulationConfig): Promise<boolean> {
  const simulation = new Simulation(config);
  const report = await simulation.run();
  await simulation.checkIdempotence();
  if (simulation.report.length) {
    throw new Error(`${simulation.report.length} violation(s):\n${simulation.report.slice(0, 8).join('\n')}\nstats: ${JSON.stringify(report.stats)}`);
  }
  return true;
}

function check(mode: CommitMode, server: SimulationConfig['server']): Promise<void> {
  return fc.assert(fc.asyncProperty(scenario(mode, server), holdsTheContract), {
    numRuns: RUNS,
    ...(SEED !== undefined ? { seed: SEED } : {}),
    ...(PATH ? { path: PATH } : {}),
  });
}

describe('simulation: the sync contract over a misbehaving remote', () => {
  const timeout = Math.max(120_000, RUNS * 2_000);

  it('holds in compare-and-swap mode against a server that honours If-Match', () => check('compare-and-swap', { honoursConditions: true, revisions: 'unique' }), timeout);

  it('holds in lock mode against a server that ignores If-Match and sends no ETags', () => check('lock', { honoursConditions: false, revisions: 'none' }), timeout);

  it('holds in lock mode against a server whose ETags repeat within one second', () => check('lock', { honoursConditions: false, revisions: 'per-second' }), timeout);

  it('holds in compare-and-swap mode when the server secretly ignores If-Match', () => check('compare-and-swap', { honoursConditions: false, revisions: 'unique' }), timeout);
});
