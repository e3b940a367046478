// Proves the simulation has teeth: copies the engine, breaks its merge on purpose, and expects
// the simulation to fail on the copy. Exits 0 only when every broken merge is caught.
import { cpSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const MUTANTS = [
  {
    name: 'whole-entity last-writer-wins (the newer delta replaces the whole entity, older ones are ignored)',
    file: 'replica-state.ts',
    find: '      const existing = this.current(entity.type, entity.id);\n      let record: EntityRecord | undefined;\n      for (const change of entity.changes) {',
    replace: `      const existing = this.current(entity.type, entity.id);
      let record: EntityRecord | undefined;
      const newest = (values: Iterable<{ t: string }>) => { let max = ''; for (const v of values) if (v.t > max) max = v.t; return max; };
      const incomingStamp = newest(entity.changes.flatMap((c) => c.values));
      const localStamp = existing ? newest([...existing.keys.values()].flat()) : '';
      if (existing && incomingStamp <= localStamp) continue;
      if (existing) { record = this.record(entity.type, entity.id); record.keys.clear(); }
      for (const change of entity.changes) {`,
  },
  {
    name: 'register last-writer-wins without conflict records (concurrent losers are dropped)',
    file: 'entity-record.ts',
    find: '  return canonical(result);\n}',
    replace: '  const best = winner(result);\n  return best ? [best] : [];\n}',
  },
];

const root = process.cwd();
const work = join(root, '.mutation');
let failures = 0;
for (const mutant of MUTANTS) {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const engine = join(work, 'engine');
  cpSync(join(root, 'src/app/sync/engine'), engine, { recursive: true });
  const path = join(engine, mutant.file);
  const source = readFileSync(path, 'utf8');
  if (!source.includes(mutant.find)) {
    console.error(`mutation-check: the anchor for "${mutant.name}" is no longer in ${mutant.file}; update tools/mutation-check.mjs`);
    failures++;
    continue;
  }
  writeFileSync(path, source.replace(mutant.find, mutant.replace));
  writeFileSync(join(work, 'jasmine.json'), JSON.stringify({ spec_dir: '.', spec_files: ['engine/simulation/simulation.test.ts'], random: false }));
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'node_modules/jasmine/bin/jasmine.js'), `--config=${join(work, 'jasmine.json')}`], {
    cwd: work,
    env: { ...process.env, SIM_RUNS: process.env.SIM_RUNS ?? '150' },
    encoding: 'utf8',
  });
  const output = `${run.stdout}\n${run.stderr}`;
  const rules = [...new Set(output.match(/rule \d \([a-z -]+\)/g) ?? [])];
  if (run.status !== 0 && rules.length > 0) {
    console.log(`caught: ${mutant.name}\n  the simulation reported ${rules.join(', ')}`);
  } else {
    console.error(`NOT caught: ${mutant.name} (exit ${run.status})\n${output.slice(-2000)}`);
    failures++;
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`${MUTANTS.length - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
