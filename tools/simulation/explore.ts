/**
 * Measures how often the engine breaks the sync contract in settings the test command does not
 * run yet, because the engine does not hold there (see docs/decisions.md, "What the simulation
 * finds"): bigger runs, and servers that lie. A measurement, not a test: it prints its figures.
 *
 *   npm run sim:explore                        100 big runs (5–6 devices, 120–150 commands, restores included) per server behaviour
 *   npm run sim:explore -- --restores          300 medium runs (3–5 devices, 45–90 commands) with frequent restores
 *   npm run sim:explore -- --lies --runs 1500  small runs against servers that lie
 *   npm run sim:explore -- --world --small     vanishing devices, clocks a year apart, rounds paused for hours
 *   npm run sim:explore -- --seed 7            another sample
 */
import fc from 'fast-check';
import { BIG, MEDIUM, scenario, SIZE } from '../../src/app/sync/engine/simulation/scenarios';
import { Simulation, SimulationConfig } from '../../src/app/sync/engine/simulation/simulation';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const lies = args.includes('--lies') ? { spurious404: 0.03, stale: 0.03, drop: 0.02 } : undefined;
const restores = args.includes('--restores');
const size = restores ? MEDIUM : lies || args.includes('--small') ? SIZE : BIG;
const runs = option('runs', size === SIZE ? 1500 : size === MEDIUM ? 300 : 100);
const seed = option('seed', 1);

const servers: Array<[string, SimulationConfig['mode'], SimulationConfig['server']]> = [
  ['compare-and-swap, honest server', 'compare-and-swap', { honoursConditions: true, revisions: 'unique' }],
  ['compare-and-swap, server ignoring If-Match', 'compare-and-swap', { honoursConditions: false, revisions: 'unique' }],
  ['lock mode, no ETags', 'lock', { honoursConditions: false, revisions: 'none' }],
];

async function main(): Promise<void> {
  const settings = [args.includes('--world') || restores ? 'vanishing devices, skewed and jumping clocks, paused rounds' : '', lies ? 'a lying server' : '', restores ? 'frequent restores from backups' : ''].filter(Boolean).join(', ');
  console.log(`${runs} runs per server, ${size.devices.join('–')} devices, ${size.commands.join('–')} commands${settings ? `, with ${settings}` : ''} (seed ${seed})`);
  for (const [label, mode, server] of servers) {
    const started = Date.now();
    let broken = 0;
    const examples: string[] = [];
    for (const config of fc.sample(scenario(mode, server, size, { world: args.includes('--world') || restores, ...(lies ? { lies } : {}), ...(restores ? { restores: 'often' as const } : {}) }), { numRuns: runs, seed })) {
      const simulation = new Simulation(config);
      await simulation.run();
      await simulation.checkIdempotence();
      if (simulation.report.length === 0) continue;
      broken++;
      if (examples.length < 3) examples.push(`${simulation.report[0]!.slice(0, 160)}\n      config: ${JSON.stringify(config).slice(0, 200)}…`);
    }
    console.log(`${label}: ${broken} of ${runs} runs broke the contract (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const example of examples) console.log(`    ${example}`);
  }
}

void main();
