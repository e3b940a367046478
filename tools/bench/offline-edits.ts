/**
 * Issue 15: recording many edits made offline. 20,000 edits, one at a time as the app makes them,
 * each followed by persisting what `recordLocalChanges` returns (serialized, as the in-memory
 * persistence and IndexedDB's structured clone do), on an engine that synced 1,000 tasks and then
 * went offline: once all of one task's title, once spread over every task. Then the commit that
 * carries them: its bytes and its time. Target: the 20,000 recorded in at most 2 s in total.
 * `npm run bench:offline` (`-- --edits=5000`).
 */
import { MemoryPersistence } from '../../src/app/sync/engine/replica/memory-persistence';
import { MemoryRemote } from '../../src/app/sync/engine/remote/memory-remote';
import { SyncEngine } from '../../src/app/sync/engine/sync-engine';
import { generate } from './data';

const TASKS = 1_000;

async function scenario(edits: number, spread: boolean): Promise<{ record: number; commit: number; sent: number }> {
  const data = generate(TASKS);
  const remote = new MemoryRemote();
  const persistence = new MemoryPersistence();
  const engine = await SyncEngine.open({ store: remote, persistence, deviceName: 'offline', mode: 'compare-and-swap', pack: async (bytes) => bytes, compactAfterBytes: 1 << 30 });
  await engine.persist(engine.recordLocalChanges(data.map(({ type, entity }) => ({ type, id: entity.id, entity }))));
  await engine.sync();
  const taskIds = data.filter((e) => e.type === 'task').map((e) => e.entity.id);
  const start = performance.now();
  for (let i = 0; i < edits; i++) {
    const id = spread ? taskIds[i % taskIds.length] : taskIds[0];
    const current = engine.entity('task', id)!;
    const request = engine.recordLocalChanges([{ type: 'task', id, entity: { ...current, title: `edit ${i}`, version: Number(current['version']) + 1 } }]);
    await persistence.save(request);
  }
  const record = performance.now() - start;
  const commitStart = performance.now();
  const result = await engine.sync();
  const commit = performance.now() - commitStart;
  return { record, commit, sent: result.bytesSent };
}

async function main(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('--edits='));
  const edits = arg ? Number(arg.slice('--edits='.length)) : 20_000;
  console.log(`${edits.toLocaleString('en-US')} edits recorded offline, each persisted (${TASKS.toLocaleString('en-US')} tasks synced before):`);
  console.log('| edits of | recording all (ms) | per edit (ms) | the commit carrying them (ms) | its delta, uncompressed (bytes) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const rows: Array<[string, Awaited<ReturnType<typeof scenario>>]> = [];
  for (const [name, spread] of [['one task’s title', false], ['every task’s title in turn', true]] as const) {
    const figures = await scenario(edits, spread);
    rows.push([name, figures]);
    console.log(`| ${name} | ${figures.record.toFixed(0)} | ${(figures.record / edits).toFixed(3)} | ${figures.commit.toFixed(0)} | ${figures.sent} |`);
  }
  for (const [name, figures] of rows) {
    console.log(`${figures.record <= 2_000 ? 'PASS' : 'MISS'} ${edits.toLocaleString('en-US')} offline edits of ${name} recorded in ${figures.record.toFixed(0)} ms (target: at most 2,000 ms)`);
  }
}

void main();
