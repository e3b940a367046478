/**
 * `npm run format-vectors`: writes docs/format-vectors/, sync folders made by real engines in the
 * situations docs/sync-format.md describes, each with what a reader must show: the materialized
 * entities and the open conflicts of a fresh device that syncs the folder.
 *
 * Delta and snapshot files are stored decompressed (readers accept plain JSON as well as gzip), so
 * that a person can read them; encrypted files are stored as the server holds them. The vectors are
 * committed: the test command (format-vectors.test.ts) checks the engine against them, and the
 * doc's examples against their files. Run this again only when the format changes on purpose.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { legacyDelta } from '../../src/app/sync/engine/remote/legacy-import';
import { EncryptingStore, MIN_ITERATIONS } from '../../src/app/sync/engine/remote/encryption';
import { MemoryRemote } from '../../src/app/sync/engine/remote/memory-remote';
import { CommitMode, RemoteStore } from '../../src/app/sync/engine/remote/remote-store';
import { mulberry32 } from '../../src/app/sync/engine/simulation/random';
import { SyncEngine } from '../../src/app/sync/engine/sync-engine';
import { create, edit, project, remove, tag, task, World } from '../../src/app/sync/engine/testing/harness';
import { prettyJson, readVectorView, VECTORS_DIR, VectorExpectation } from './vectors';

export const PASSPHRASE = 'correct horse battery staple';

interface Scenario {
  readonly name: string;
  readonly about: string;
  readonly mode: CommitMode;
  readonly passphrase?: string;
  build(world: World, device: (name: string, replica: string) => Promise<SyncEngine>): Promise<void>;
}

const sync = (engine: SyncEngine) => engine.sync({ confirmMassDelete: true });

/** Device A makes a project with three tasks (one a subtask), a tag and a day's metric; device B edits. */
async function shared(world: World, device: (name: string, replica: string) => Promise<SyncEngine>): Promise<[SyncEngine, SyncEngine]> {
  const a = await device('Laptop', 'replica-a');
  await create(a, 'tag', tag('tg-errands', { title: 'Errands', taskIds: ['t-milk'], created: 1_700_000_000_000 }));
  await create(a, 'project', project('p-home', { title: 'Home', taskIds: ['t-milk', 't-bread'], created: 1_700_000_000_000 }));
  await create(a, 'task', task('t-milk', { title: 'Buy milk', projectId: 'p-home', tagIds: ['tg-errands'], subTaskIds: ['t-oat'], created: 1_700_000_000_001 }));
  await create(a, 'task', task('t-oat', { title: 'Oat, not cow', projectId: 'p-home', parentId: 't-milk', created: 1_700_000_000_002 }));
  await create(a, 'task', task('t-bread', { title: 'Bake bread', projectId: 'p-home', timeSpentOnDay: { '2026-11-30': 1_800_000 }, created: 1_700_000_000_003 }));
  await create(a, 'metric', { id: '2026-11-30', mood: 4, productivity: 3, notes: '', version: 1 });
  await sync(a);
  world.later();
  const b = await device('Phone', 'replica-b');
  await sync(b);
  return [a, b];
}

/** The shared start, then B renames a task and A takes it in. */
async function renamedOnB(world: World, device: (name: string, replica: string) => Promise<SyncEngine>): Promise<void> {
  const [a, b] = await shared(world, device);
  await edit(b, 'task', 't-milk', () => ({ title: 'Buy oat milk' }));
  await sync(b);
  world.later();
  await sync(a);
}

const SCENARIOS: Scenario[] = [
  {
    name: 'deltas',
    about: 'Two devices, deltas only: A creates, B renames a task and marks it done, A syncs again.',
    mode: 'compare-and-swap',
    async build(world, device) {
      const [a, b] = await shared(world, device);
      await edit(b, 'task', 't-milk', () => ({ title: 'Buy oat milk' }));
      await edit(b, 'task', 't-bread', () => ({ isDone: true, doneOn: world.now }));
      await sync(b);
      world.later();
      await sync(a);
    },
  },
  {
    name: 'compaction',
    about: 'The same edits with compaction after every second delta: a snapshot, the deltas after it and a graveyard.',
    mode: 'compare-and-swap',
    async build(world, device) {
      const [a, b] = await shared(world, device);
      for (const title of ['Buy oat milk', 'Buy oat milk (2 l)', 'Buy oat milk (1 l)']) {
        await edit(b, 'task', 't-milk', () => ({ title }));
        await sync(b);
        world.later();
      }
      await remove(a, 'task', 't-bread');
      await edit(a, 'project', 'p-home', (p) => ({ taskIds: (p['taskIds'] as string[]).filter((id) => id !== 't-bread') }));
      await sync(a);
    },
  },
  {
    name: 'conflicts',
    about:
      'Concurrent edits while both devices were offline: one title changed on both (a conflict), a task deleted on A and edited on B (it stays, with a _del conflict), one day of timeSpentOnDay set on both (a conflict), and one list item moved on both (two position values: not a conflict, the shown one wins).',
    mode: 'compare-and-swap',
    async build(world, device) {
      const [a, b] = await shared(world, device);
      await edit(a, 'task', 't-milk', () => ({ title: 'Milk from A' }));
      await remove(a, 'task', 't-oat');
      await edit(a, 'task', 't-milk', (t) => ({ subTaskIds: (t['subTaskIds'] as string[]).filter((id) => id !== 't-oat') }));
      await edit(a, 'task', 't-bread', () => ({ timeSpentOnDay: { '2026-11-30': 3_600_000 } }));
      await edit(a, 'project', 'p-home', () => ({ taskIds: ['t-bread', 't-milk'] }));
      world.later(10);
      await edit(b, 'task', 't-milk', () => ({ title: 'Milk from B' }));
      await edit(b, 'task', 't-oat', () => ({ notes: 'barista edition' }));
      await edit(b, 'task', 't-bread', () => ({ timeSpentOnDay: { '2026-11-30': 2_700_000 } }));
      await create(b, 'task', task('t-eggs', { title: 'Eggs', projectId: 'p-home', created: world.now }));
      await edit(b, 'project', 'p-home', () => ({ taskIds: ['t-eggs', 't-bread', 't-milk'] }));
      await sync(a);
      world.later();
      await sync(b);
      world.later();
      await sync(a);
    },
  },
  {
    name: 'dangling-references',
    about:
      'A deletes the project and its tag while B, offline, creates a task in them without touching either (as a client that does not keep the lists would): the deletes stand, and the repair drops the task\'s projectId and tagIds that point to nothing.',
    mode: 'compare-and-swap',
    async build(world, device) {
      const [a, b] = await shared(world, device);
      for (const id of ['t-milk', 't-oat', 't-bread']) await remove(a, 'task', id);
      await remove(a, 'project', 'p-home');
      await remove(a, 'tag', 'tg-errands');
      await create(b, 'task', task('t-late', { title: 'Added while offline', projectId: 'p-home', tagIds: ['tg-errands'], created: world.now }));
      await sync(a);
      world.later();
      await sync(b);
    },
  },
  {
    name: 'lock-mode',
    about: 'The deltas scenario on a server that does not compare and swap: commits take lock.json in turn (released after each commit).',
    mode: 'lock',
    build: renamedOnB,
  },
  {
    name: 'encrypted',
    about: `The deltas scenario, end-to-end encrypted with the passphrase in passphrase.txt ("${PASSPHRASE}", PBKDF2-SHA256 ${MIN_ITERATIONS} iterations, AES-256-GCM).`,
    mode: 'compare-and-swap',
    passphrase: PASSPHRASE,
    build: renamedOnB,
  },
  {
    name: 'migration',
    about: 'A folder that holds only main.json, the whole-file export of the app before sync: a fresh device migrates it (one delta of replica legacy-main, stamps from lastModifiedAt or created).',
    mode: 'compare-and-swap',
    async build(world, device) {
      const main = {
        format: 'super-sync-backup',
        formatVersion: 1,
        exportedAt: 1_764_000_000_000,
        data: {
          project: { ids: ['p-home'], entities: { 'p-home': project('p-home', { title: 'Home', taskIds: ['t-b', 't-a'], lastModifiedAt: 1_764_000_000_000 }) } },
          tag: { ids: [], entities: {} },
          task: {
            ids: ['t-a', 't-b'],
            entities: {
              // Field order differs between the two tasks on purpose: numbering must not depend on it.
              't-a': task('t-a', { title: 'Second in the list', projectId: 'p-home', created: 1_763_000_000_000, lastModifiedAt: 1_763_500_000_000 }),
              't-b': Object.fromEntries(Object.entries(task('t-b', { title: 'First in the list', projectId: 'p-home', created: 1_763_000_000_000 })).reverse()),
            },
          },
          metric: { ids: [], entities: {} },
        },
      };
      // Only main.json: the reader migrates it (migration-delta.json is the delta it must derive).
      await world.remote.write('main.json', new TextEncoder().encode(JSON.stringify(main, null, 2)));
    },
  },
];

async function main(): Promise<void> {
  rmSync(VECTORS_DIR, { recursive: true, force: true });
  for (const scenario of SCENARIOS) {
    const world = new World();
    const random = mulberry32(0x5eed);
    const store = (): RemoteStore => (scenario.passphrase ? new EncryptingStore(world.remote, scenario.passphrase) : world.remote);
    await scenario.build(world, (name, replica) =>
      world.device(name, { store: store(), replicaId: replica, mode: scenario.mode, random, compactAfterDeltas: scenario.name === 'compaction' ? 2 : 1_000 }),
    );
    const dir = join(VECTORS_DIR, scenario.name);
    writeFolder(world.remote, join(dir, 'remote'));
    if (scenario.passphrase) writeFileSync(join(dir, 'passphrase.txt'), scenario.passphrase);
    const main = world.remote.files.get('main.json');
    if (main) writeFileSync(join(dir, 'migration-delta.json'), prettyJson(asDeltaFile(legacyDelta(JSON.parse(new TextDecoder().decode(main.data))))) + '\n');
    const view = await readVectorView(dir, { mode: scenario.mode, passphrase: scenario.passphrase });
    const expected: VectorExpectation = { about: scenario.about, mode: scenario.mode, ...view };
    writeFileSync(join(dir, 'expected.json'), prettyJson(expected) + '\n');
    console.log(`${scenario.name}: ${world.remote.files.size} files, ${Object.values(view.entities).flat().length} entities, ${view.conflicts.length} conflicts`);
  }
}

/** A migration's delta in the shape of a delta file's body (docs/sync-format.md, "Delta files"). */
function asDeltaFile(delta: ReturnType<typeof legacyDelta>): unknown {
  return {
    replica: delta.replica,
    dots: delta.dots,
    entities: delta.entities.map((entity) => ({
      type: entity.type,
      id: entity.id,
      ver: entity.ver,
      keys: entity.changes.map((change) => [change.key, change.values.map((value) => [value.v, value.r, value.n, value.t])]),
    })),
  };
}

/** The folder as the server holds it; gzip files unpacked (readers take plain JSON too). */
function writeFolder(remote: MemoryRemote, dir: string): void {
  for (const [path, file] of remote.files) {
    const target = join(dir, path);
    mkdirSync(join(target, '..'), { recursive: true });
    const bytes = Buffer.from(file.data);
    const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    const text = plain.toString('utf8');
    let pretty: string | null = null;
    try {
      pretty = prettyJson(JSON.parse(text)) + '\n';
    } catch {
      pretty = null;
    }
    writeFileSync(target, pretty ?? bytes);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
