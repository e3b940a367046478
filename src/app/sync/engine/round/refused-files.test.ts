import { gunzip, gzip, jsonBytes, parseJsonBytes } from '../remote/codec';
import { META_PATH, RootMeta } from '../remote/remote-format';
import { EncryptingStore } from '../remote/encryption';
import { World, create, edit, syncAll, task, tag } from '../testing/harness';

/**
 * docs/sync-format.md: a file the engine refuses never blocks a folder. Another client writes a
 * delta as the doc's old example did (a membership as the string "true") and names it in the root.
 */
describe('a foreign delta the engine refuses', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  const root = () => parseJsonBytes(world.remote.files.get(META_PATH)!.data) as RootMeta;
  const FOREIGN = 'deltas/00000003-other-client-abc123.json.gz';

  async function foreignCommit(): Promise<void> {
    const delta = {
      format: 'super-sync/delta',
      formatVersion: 1,
      replica: 'other-client',
      createdAt: world.now,
      dots: [[1, 1]],
      entities: [{ type: 'task', id: 't1', ver: 9, keys: [['tagIds/tg-1', [['true', 'other-client', 1, '0zzzzzzzz0000']]]] }],
    };
    const bytes = await gzip(jsonBytes(delta));
    await world.remote.write(FOREIGN, bytes);
    const current = root();
    const seq = current.seq + 1;
    await world.remote.write(META_PATH, jsonBytes({ ...current, seq, commitId: 'foreigncommit', deltas: [...current.deltas, { file: FOREIGN, seq, replica: 'other-client', dots: [[1, 1]], counts: { task: 1 }, bytes: bytes.byteLength }] }));
  }

  it('keeps every device syncing, names the file and why, and a compaction leaves its data out but keeps the file', async () => {
    const a = await world.device('A', { compactAfterDeltas: 4 });
    const b = await world.device('B', { compactAfterDeltas: 4 });
    await create(a, 'tag', tag('tg-1'));
    await create(a, 'task', task('t1', { title: 'Original' }));
    await syncAll(a, b);
    await foreignCommit();

    await edit(b, 'task', 't1', () => ({ title: 'From B' }));
    const fromB = await b.sync();
    expect(fromB.status).toBe('synced');
    expect(fromB.refused).toEqual([{ file: FOREIGN, why: jasmine.stringMatching(/tagIds\/tg-1 must be true/) }]);
    const atA = await a.sync();
    expect(a.entity('task', 't1')!['title']).toBe('From B');
    expect(a.entity('task', 't1')!['tagIds']).toEqual([]);
    expect(atA.refused.map((refused) => refused.file)).toEqual([FOREIGN]);

    // Commits go on until one compacts: the snapshot carries everything but the refused data.
    for (let i = 0; !root().snapshot; i++) {
      if (i > 8) throw new Error('no compaction happened');
      await edit(a, 'task', 't1', () => ({ notes: `note ${i}` }));
      await a.sync();
      world.later();
    }
    const compacted = root();
    const snapshot = new TextDecoder().decode(await gunzip(world.remote.files.get(compacted.snapshot!.file)!.data));
    expect(snapshot).not.toContain('tagIds/tg-1');
    expect(snapshot).not.toContain('other-client');
    // Kept aside: still named, still there, never in the graveyard.
    expect(compacted.deltas.map((delta) => delta.file)).toContain(FOREIGN);
    expect(compacted.graveyard.map((grave) => grave.file)).not.toContain(FOREIGN);
    for (let i = 0; i < 3; i++) {
      world.later(3_600_000);
      await edit(a, 'task', 't1', () => ({ notes: `later ${i}` }));
      await syncAll(a, b);
    }
    expect(world.remote.files.has(FOREIGN)).toBeTrue();

    // A device that starts afresh gets everything else, and says which file it skipped.
    const c = await world.device('C');
    const fresh = await c.sync();
    expect(c.entity('task', 't1')!['title']).toBe('From B');
    expect(c.entity('task', 't1')!['notes']).toBe('later 2');
    expect(fresh.refused.map((refused) => refused.file)).toEqual([FOREIGN]);
  });

  it('is retired by an encryption rewrite, which replaces every file: no device is stopped by a file left in the old form', async () => {
    const a = await world.device('A');
    await create(a, 'task', task('t1', { title: 'Original' }));
    await a.sync();
    await foreignCommit();
    expect((await a.sync()).refused.map((refused) => refused.file)).toEqual([FOREIGN]);
    // Encryption turned on: A rewrites the folder, and every device now reads it with the passphrase.
    const encryptedA = await world.device('A, encrypting', { store: new EncryptingStore(world.remote, 'a passphrase') });
    await encryptedA.sync({ rewrite: true });
    expect(world.remote.files.has(FOREIGN)).toBeFalse();
    const b = await world.device('B', { store: new EncryptingStore(world.remote, 'a passphrase') });
    const round = await b.sync();
    expect(round.refused).toEqual([]);
    expect(b.entity('task', 't1')!['title']).toBe('Original');
  });
});
