// Proves the simulation has teeth: copies the engine, breaks one seam of it on purpose (the merge,
// commit order, crash recovery, the lock, the graveyard, the watermark, repair, the id per opening, the
// mass-delete guard, what a round reports), and expects the simulation to fail on the copy by the rule that seam protects. Exits 0 only when every mutant
// is caught by its rule.
import { cpSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const MUTANTS = [
  {
    name: 'whole-entity last-writer-wins (the newer delta replaces the whole entity, older ones are ignored)',
    rule: 'rule 1',
    file: 'replica/merge-session.ts',
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
    rule: 'rule 2',
    file: 'crdt/entity-record.ts',
    find: '  return canonical(latestPerReplica(result));\n}',
    replace: '  const best = winner(result);\n  return best ? [best] : [];\n}',
  },
  {
    name: 'commit order: the root is written before the file it names',
    rule: 'rule 5',
    file: 'round/commit.ts',
    edits: [
      ['  await meter.write(file, bytes, { createOnly: true, needsRevision: false });\n', ''],
      ["  if (compact && !(await meter.list('snapshots'))", "  if (false && compact && !(await meter.list('snapshots'))"],
      ['  // Committed: clear exactly what this commit carried', '  await meter.write(file, bytes, { createOnly: true, needsRevision: false });\n  // Committed: clear exactly what this commit carried'],
    ],
  },
  {
    name: 'crash recovery: an upload whose outcome was never heard is taken as committed, and forgotten',
    rule: 'rule 2',
    file: 'round/commit.ts',
    edits: [
      ['  if (knowledge && (knowledge.has(inflight.file) || (inflight.dots.length > 0 && knowledge.includes(replica, inflight.dots)))) {', '  if (true) {'],
      ['    for (const [from, to] of inflight.dots) state.remoteKnown.addRange(replica, from, to);\n', ''],
    ],
  },
  {
    name: 'the lock: a dead device\'s lock is never taken over',
    rule: 'rule 1',
    file: 'round/lock.ts',
    find: '    return now - this.seen.since >= this.ttlMs;',
    replace: '    return false;',
  },
  {
    name: 'compaction and the graveyard: replaced files are deleted at once, with no grace period',
    rule: 'rule 5',
    file: 'round/commit.ts',
    find: '  if (rewrite) expired.push(',
    replace: '  if (rewrite || compact) expired.push(',
  },
  {
    name: 'the watermark: a root written over by a device that did not see a commit is never repaired',
    rule: 'rule 1',
    file: 'round/attempt.ts',
    find: '  const regressed = knowledge !== null && !knowledge.known.covers(state.remoteKnown);',
    replace: '  const regressed = false && knowledge !== null && !knowledge.known.covers(state.remoteKnown);',
  },
  {
    name: 'repair: merged entities are shown without the referential repair',
    rule: 'rule 6',
    file: 'replica/incremental-repair.ts',
    edits: [
      ['      const after = this.place(id);', '      const after = this.raw.task.get(id) ?? null;'],
      ['    if (entity) this.repaired[type].set(id, finish(entity));', '    if (entity) this.repaired[type].set(id, entity);'],
    ],
  },
  {
    name: 'an id per opening: a state opened again (a restored backup, a copied profile) keeps its replica id and reuses write counters',
    rule: 'rule 2',
    file: 'sync-engine.ts',
    find: '      state.startSession(newId(random, 6));',
    replace: '',
  },
  {
    name: 'the mass-delete guard: a sync deletes everything without asking',
    rule: 'rule 7',
    file: 'round/attempt.ts',
    find: '  if (options.confirmMassDelete) return null;',
    replace: '  if (options.confirmMassDelete || true) return null;',
  },
  {
    name: 'a round reports only what its last attempt adopted (an attempt that lost the commit race changed the view unseen)',
    rule: 'rule 4',
    file: 'round/round.ts',
    find: '{ optimistic: tries === 0 && !forceRead, lock, adoptions }',
    replace: '{ optimistic: tries === 0 && !forceRead, lock, adoptions: new Adoptions(ctx.state.view.size) }',
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
  let source = readFileSync(path, 'utf8');
  const edits = mutant.edits ?? [[mutant.find, mutant.replace]];
  const missing = edits.find(([find]) => !source.includes(find));
  if (missing) {
    console.error(`mutation-check: the anchor for "${mutant.name}" is no longer in ${mutant.file}; update tools/mutation-check.mjs`);
    failures++;
    continue;
  }
  for (const [find, replace] of edits) source = source.replace(find, replace);
  writeFileSync(path, source);
  writeFileSync(join(work, 'jasmine.json'), JSON.stringify({ spec_dir: '.', spec_files: ['engine/simulation/simulation.test.ts'], random: false }));
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'node_modules/jasmine/bin/jasmine.js'), `--config=${join(work, 'jasmine.json')}`], {
    cwd: work,
    // A fixed sample, so the check gives the same answer on every run (SIM_SEED=… picks another).
    env: { ...process.env, SIM_RUNS: process.env.SIM_RUNS ?? '400', SIM_SEED: process.env.SIM_SEED ?? '20261201', SIM_NO_SHRINK: '1' },
    encoding: 'utf8',
  });
  const output = `${run.stdout}\n${run.stderr}`;
  const rules = [...new Set(output.match(/rule \d \([a-z -]+\)/g) ?? [])];
  if (mutant.open) {
    console.log(`${run.status !== 0 ? 'caught' : 'not caught'} (open, not required): ${mutant.name}${rules.length ? `\n  the simulation reported ${rules.join(', ')}` : ''}`);
  } else if (run.status !== 0 && rules.some((rule) => rule.startsWith(mutant.rule + ' '))) {
    console.log(`caught: ${mutant.name}\n  the simulation reported ${rules.join(', ')}`);
  } else if (run.status !== 0 && rules.length > 0) {
    console.error(`caught, but not by ${mutant.rule}: ${mutant.name}\n  the simulation reported ${rules.join(', ')}`);
    failures++;
  } else {
    console.error(`NOT caught: ${mutant.name} (exit ${run.status})\n${output.slice(-2000)}`);
    failures++;
  }
}
rmSync(work, { recursive: true, force: true });
const required = MUTANTS.filter((mutant) => !mutant.open).length;
console.log(`${required - failures} of ${required} required mutants caught by their rule, ${failures} not`);
process.exit(failures ? 1 : 0);
