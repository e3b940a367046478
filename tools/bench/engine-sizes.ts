/**
 * Issue 15: what of the engine's CPU per round grows with the data. The engine-side figures
 * (engine-side.ts: in process, in-memory remote and persistence, no network, no NgRx) at 1,000,
 * 10,000 and 50,000 tasks, with the target for the one-edit rounds: the 50,000 figure at
 * most 1.5x the 1,000 one and at most 10 ms. `npm run bench:engine` (`-- --sizes=1000,100000`).
 */
import { engineSide } from './engine-side';

async function main(): Promise<void> {
  const sizesArg = process.argv.find((arg) => arg.startsWith('--sizes='));
  const sizes = sizesArg ? sizesArg.slice('--sizes='.length).split(',').map(Number) : [1_000, 10_000, 50_000];
  const rows: Array<{ tasks: number; commit: number; pull: number; noChange: number; record: number; fresh: number }> = [];
  for (const tasks of sizes) {
    const figures = await engineSide(tasks, 5, 50);
    rows.push({ tasks, commit: figures.commitOneEditRound, pull: figures.pullOneEditRound, noChange: figures.noChangeRound, record: figures.recordLocalChangesPerEdit.median, fresh: figures.freshEngineMergesSnapshot });
  }
  console.log('| tasks | round committing one edit (ms) | round pulling one edit (ms) | round with nothing new (ms) | recordLocalChanges per edit (ms) | fresh engine merges the snapshot (ms) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.tasks.toLocaleString('en-US')} | ${row.commit.toFixed(2)} | ${row.pull.toFixed(2)} | ${row.noChange.toFixed(2)} | ${row.record.toFixed(3)} | ${row.fresh.toFixed(0)} |`);
  const small = rows[0];
  const large = rows[rows.length - 1];
  for (const [name, a, b] of [['commit one edit', small.commit, large.commit], ['pull one edit', small.pull, large.pull]] as const) {
    const ratio = b / a;
    const pass = ratio <= 1.5 && b <= 10;
    console.log(`${pass ? 'PASS' : 'MISS'} ${name}: ${b.toFixed(2)} ms at ${large.tasks.toLocaleString('en-US')} tasks, ${ratio.toFixed(2)}x the ${small.tasks.toLocaleString('en-US')}-task figure (target: at most 1.5x and 10 ms)`);
  }
}

void main();
