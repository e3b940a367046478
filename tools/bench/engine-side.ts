/**
 * Engine-side figures (issue 5), in process, no server: the engine against its in-memory remote
 * and in-memory persistence. They leave out the network and the NgRx store (store-bench.ts covers
 * the store's side).
 */
import { MemoryPersistence } from '../../src/app/sync/engine/replica/memory-persistence';
import { MemoryRemote } from '../../src/app/sync/engine/remote/memory-remote';
import { SyncEngine } from '../../src/app/sync/engine/sync-engine';
import { generate } from './data';
import { median } from './median';

export interface EngineSideFigures {
  readonly tasks: number;
  /** ms to record the whole data set as local changes on an empty engine (one call). */
  readonly recordInitialData: number;
  /** Median ms: a fresh engine's first round against a remote holding one snapshot of the data (read, gunzip, parse, merge, view). */
  readonly freshEngineMergesSnapshot: number;
  readonly freshEngineRuns: number;
  /** Median and 95th percentile ms of `recordLocalChanges` for one edited task (returns the persist request; saving not included). */
  readonly recordLocalChangesPerEdit: { median: number; p95: number; calls: number };
  /** Median ms of a round with nothing new on either side (root not modified). */
  readonly noChangeRound: number;
  /** Median ms of a round that commits one edited task, and of the other engine's round that pulls it. */
  readonly commitOneEditRound: number;
  readonly pullOneEditRound: number;
}


function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export async function engineSide(tasks: number, runs: number, edits: number): Promise<EngineSideFigures> {
  const data = generate(tasks);
  const remote = new MemoryRemote();
  const writer = await SyncEngine.open({ store: remote, persistence: new MemoryPersistence(), deviceName: 'writer', mode: 'compare-and-swap' });
  let start = performance.now();
  const request = writer.recordLocalChanges(data.map(({ type, entity }) => ({ type, id: entity.id, entity })));
  const recordInitialData = performance.now() - start;
  await writer.persist(request);
  await writer.sync();

  const merges: number[] = [];
  for (let run = 0; run < runs; run++) {
    const fresh = await SyncEngine.open({ store: remote, persistence: new MemoryPersistence(), deviceName: `fresh-${run}`, mode: 'compare-and-swap' });
    start = performance.now();
    const result = await fresh.sync();
    merges.push(performance.now() - start);
    if (result.received.task !== tasks) throw new Error(`fresh engine received ${result.received.task} tasks, expected ${tasks}`);
  }

  const taskIds = data.filter((e) => e.type === 'task').map((e) => e.entity.id);
  const perEdit: number[] = [];
  for (let i = 0; i < edits; i++) {
    const id = taskIds[(i * 7919) % taskIds.length];
    const current = writer.entity('task', id)!;
    const change = { type: 'task' as const, id, entity: { ...current, title: `edited ${i}`, version: Number(current['version']) + 1, lastModifiedAt: Date.now() } };
    start = performance.now();
    const persist = writer.recordLocalChanges([change]);
    perEdit.push(performance.now() - start);
    await writer.persist(persist);
  }
  // Rounds with little in them, on the engine alone: what of a round's time grows with the data.
  const other = await SyncEngine.open({ store: remote, persistence: new MemoryPersistence(), deviceName: 'other', mode: 'compare-and-swap' });
  await writer.sync();
  await other.sync();
  const noChange: number[] = [];
  const commitOne: number[] = [];
  const pullOne: number[] = [];
  const time = async (into: number[], round: () => Promise<unknown>) => {
    const t = performance.now();
    await round();
    into.push(performance.now() - t);
  };
  for (let i = 0; i < runs; i++) {
    await time(noChange, () => writer.sync());
    const id = taskIds[(i * 104_729 + 1) % taskIds.length];
    const current = writer.entity('task', id)!;
    await writer.applyLocalChanges([{ type: 'task', id, entity: { ...current, title: `round ${i}`, version: Number(current['version']) + 1 } }]);
    await time(commitOne, () => writer.sync());
    await time(pullOne, () => other.sync());
  }
  return {
    tasks,
    noChangeRound: median(noChange),
    commitOneEditRound: median(commitOne),
    pullOneEditRound: median(pullOne),
    recordInitialData,
    freshEngineMergesSnapshot: median(merges),
    freshEngineRuns: runs,
    recordLocalChangesPerEdit: { median: median(perEdit), p95: percentile(perEdit, 0.95), calls: edits },
  };
}
