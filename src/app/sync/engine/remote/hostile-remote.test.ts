import { gzip, jsonBytes, parseJsonBytes } from './codec';
import { META_PATH, RootMeta } from './remote-format';
import { isSyncError } from '../sync-error';
import { World, create, edit, syncAll, task } from '../testing/harness';

/** Everything read from a remote is checked before it touches the state (issue: hostile data). */
describe('hostile remote data', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  /** A: the honest device. B: the victim, in sync with A before the remote is tampered with. */
  async function setUp() {
    const a = await world.device('A');
    const b = await world.device('B');
    await create(a, 'task', task('t1', { title: 'Original' }));
    await syncAll(a, b);
    await edit(a, 'task', 't1', () => ({ title: 'Newer' }));
    await a.sync();
    const root = parseJsonBytes(world.remote.files.get(META_PATH)!.data) as RootMeta;
    return { a, b, root, deltaFile: root.deltas[root.deltas.length - 1].file };
  }

  async function tamperDelta(file: string, change: (delta: Record<string, unknown>) => unknown) {
    const original = world.remote.files.get(file)!.data;
    const { gunzip } = await import('./codec');
    const delta = parseJsonBytes(await gunzip(original)) as Record<string, unknown>;
    await world.remote.write(file, await gzip(jsonBytes(change(delta))));
    return original;
  }

  async function expectRefused(b: Awaited<ReturnType<World['device']>>, reason: RegExp) {
    const before = JSON.stringify(b.entities('task'));
    const error = await b.sync().then(() => null, (e: unknown) => e);
    expect(isSyncError(error, 'invalid-remote-data')).withContext(String(error)).toBeTrue();
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toContain('Nothing was applied');
    expect(JSON.stringify(b.entities('task'))).toBe(before);
  }

  /** A delta that breaks the format is skipped, not fatal: the round goes on, names the file and applies none of it. */
  async function expectSkipped(b: Awaited<ReturnType<World['device']>>, file: string, reason: RegExp) {
    const before = JSON.stringify(b.entities('task'));
    const result = await b.sync();
    expect(result.refused.map((refused) => refused.file)).toEqual([file]);
    expect(result.refused[0]!.why).toMatch(reason);
    expect(JSON.stringify(b.entities('task'))).toBe(before);
  }

  it('skips a delta whose field has the wrong type, applies nothing of it, and a device that opens later takes it once the file is sound', async () => {
    const { b, deltaFile } = await setUp();
    const original = await tamperDelta(deltaFile, (delta) => {
      const entities = delta['entities'] as Array<{ keys: unknown[][] }>;
      entities[0].keys = entities[0].keys.map(([key, values, replaced]) => (key === 'title' ? [key, (values as unknown[][]).map(([, r, n, t]) => [42, r, n, t]), replaced ?? []] : [key, values, replaced ?? []]));
      return delta;
    });
    await expectSkipped(b, deltaFile, /title must be string/);
    await world.remote.write(deltaFile, original);
    const later = await world.device('B again');
    await later.sync();
    expect(later.entity('task', 't1')!['title']).toBe('Newer');
  });

  it('skips a delta with __proto__, constructor or prototype as a field name, and nothing is polluted', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      world = new World();
      const { b, deltaFile } = await setUp();
      await tamperDelta(deltaFile, (delta) => {
        const entities = delta['entities'] as Array<{ keys: unknown[][] }>;
        entities[0].keys.push([name, [[{ polluted: true }, 'x1', 1, '0000000000000']]]);
        return delta;
      });
      await expectSkipped(b, deltaFile, /not an allowed field name/);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
  });

  it('skips a delta with an entity of a kind the app does not know', async () => {
    const { b, deltaFile } = await setUp();
    await tamperDelta(deltaFile, (delta) => {
      (delta['entities'] as Array<Record<string, unknown>>)[0]['type'] = 'spaceship';
      return delta;
    });
    await expectSkipped(b, deltaFile, /spaceship/);
  });

  it('repairs a truncated meta.json (a torn write) from the root it knew, merging the commit the damaged root named', async () => {
    const { a, b } = await setUp();
    const meta = world.remote.files.get(META_PATH)!.data;
    await world.remote.write(META_PATH, meta.slice(0, meta.length / 2));
    // A device that never synced cannot know what the damaged root named: it says so and waits.
    const fresh = await world.device('C');
    const waiting = await fresh.sync().then(() => null, (e: unknown) => e);
    expect(isSyncError(waiting, 'server')).withContext(String(waiting)).toBeTrue();
    expect((waiting as Error).message).toMatch(/not readable \(truncated or garbled.*A device that synced more recently repairs it/);
    expect(fresh.entities('task')).toEqual([]);
    expect((await b.sync()).status).toBe('synced');
    expect(b.entity('task', 't1')?.['title']).toBe('Newer');
    expect(() => parseJsonBytes(world.remote.files.get(META_PATH)!.data)).not.toThrow();
    await edit(a, 'task', 't1', () => ({ title: 'Newest' }));
    await syncAll(a, b, fresh);
    for (const device of [a, b, fresh]) expect(device.entity('task', 't1')?.['title']).toBe('Newest');
  });

  it('refuses a meta.json that reads but is no root, with a clear error', async () => {
    const { b } = await setUp();
    await world.remote.write(META_PATH, jsonBytes({ format: 'super-sync/meta', formatVersion: 1, seq: 'many' }));
    await expectRefused(b, /deltas must be a list/);
  });

  it('never reads or writes outside its folder, whatever meta.json names', async () => {
    const { b, root } = await setUp();
    for (const evil of ['../../etc/passwd', 'deltas/../../secret.json', '/absolute/path.json', 'deltas/a/../../b.json']) {
      const tampered = { ...root, deltas: [...root.deltas, { ...root.deltas[0], file: evil }] };
      await world.remote.write(META_PATH, jsonBytes(tampered));
      await expectRefused(b, /is not a delta or snapshot file name/);
    }
  });

  it('skips a delta whose values name an impossible device or counter', async () => {
    const { b, deltaFile } = await setUp();
    await tamperDelta(deltaFile, (delta) => {
      const entities = delta['entities'] as Array<{ keys: unknown[][] }>;
      entities[0].keys = entities[0].keys.map(([key, values]) => [key, (values as unknown[][]).map(([v, , n, t]) => [v, 'bad replica!', n, t])]);
      return delta;
    });
    await expectSkipped(b, deltaFile, /characters a device id cannot have/);
  });
  describe('what would reach the allocator or the stack', () => {
    async function tamperRoot(change: (root: Record<string, unknown>) => void): Promise<void> {
      const root = parseJsonBytes(world.remote.files.get(META_PATH)!.data) as Record<string, unknown>;
      change(root);
      await world.remote.write(META_PATH, jsonBytes(root));
    }

    for (const [label, to] of [['50 million', 50_000_000], ['2^53 - 1', Number.MAX_SAFE_INTEGER]] as const) {
      it(`refuses a root entry claiming writes 1..${label} of a device at once, without expanding it`, async () => {
        const { b } = await setUp();
        await tamperRoot((root) => {
          const deltas = root['deltas'] as Array<Record<string, unknown>>;
          deltas.push({ ...deltas[0], file: 'deltas/00000099-ghost-aaaaaa.json.gz', replica: 'ghost', dots: [[1, to]] });
        });
        const started = Date.now();
        const error = await b.sync().then(() => null, (e: unknown) => e);
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(isSyncError(error, 'invalid-remote-data')).withContext(String(error)).toBeTrue();
      });
    }

    it('refuses a root entry with a huge span beyond a gap, without filling the memory', async () => {
      const { b } = await setUp();
      await tamperRoot((root) => {
        const deltas = root['deltas'] as Array<Record<string, unknown>>;
        deltas.push({ ...deltas[0], file: 'deltas/00000099-ghost-bbbbbb.json.gz', replica: 'ghost', dots: [[10, 20_000_000]] });
      });
      const error = await b.sync().then(() => null, (e: unknown) => e);
      expect(isSyncError(error, 'invalid-remote-data')).withContext(String(error)).toBeTrue();
    });

    it('refuses a value nested 20,000 levels deep as damaged data, not a crash', async () => {
      const { b, deltaFile } = await setUp();
      const { gunzip } = await import('./codec');
      const delta = parseJsonBytes(await gunzip(world.remote.files.get(deltaFile)!.data)) as Record<string, unknown>;
      const entities = delta['entities'] as Array<{ keys: unknown[][] }>;
      const [, values] = entities[0].keys.find(([key]) => key === 'title')!;
      const [, r, n, t] = (values as unknown[][])[0]!;
      // A project's theme is an object: the one field where nesting reaches the checks.
      entities.push({ type: 'project', id: 'p-deep', ver: 1, keys: [['theme', [[{ primary: '__DEEP__' }, r, n, t]]]] } as never);
      // Written as text: 40 KB of brackets, deeper than a recursive JSON.stringify can go.
      const text = JSON.stringify(delta).replace('"__DEEP__"', '['.repeat(20_000) + '"bottom"' + ']'.repeat(20_000));
      await world.remote.write(deltaFile, await gzip(new TextEncoder().encode(text)));
      const result = await b.sync();
      expect(result.refused.map((refused) => refused.file)).toEqual([deltaFile]);
      expect(result.refused[0]!.why).toContain('nested deeper');
    });

    it('never sends an id longer than other devices accept, so they keep syncing', async () => {
      const a = await world.device('A');
      const b = await world.device('B');
      await create(a, 'task', task('x'.repeat(300)));
      await create(a, 'task', task('fine', { tagIds: ['y'.repeat(500)] }));
      await a.sync();
      await expectAsync(b.sync()).toBeResolved();
      expect(b.entity('task', 'fine')).toBeDefined();
      expect(b.entities('task').map((t) => t.id)).toEqual(['fine']);
    });

    it('keeps syncing after reading a stamp with a full counter: the next writes stay readable everywhere', async () => {
      const { a, b, deltaFile } = await setUp();
      await tamperDelta(deltaFile, (delta) => {
        const entities = delta['entities'] as Array<{ keys: unknown[][] }>;
        for (const [, values] of entities[0].keys) for (const value of values as unknown[][]) value[3] = `${String(value[3]).slice(0, 9)}zzzz`;
        return delta;
      });
      await b.sync();
      await edit(b, 'task', 't1', () => ({ title: 'After the full counter' }));
      await b.sync();
      await expectAsync(a.sync()).toBeResolved();
      expect(a.entity('task', 't1')!['title']).toBe('After the full counter');
    });
  });
});

describe('compressed files', () => {
  it('refuses a file that unpacks beyond the limit (a decompression bomb) instead of filling the memory', async () => {
    const { gunzip, gzip } = await import('./codec');
    const bomb = await gzip(new Uint8Array(4 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    await expectAsync(gunzip(bomb, 1024 * 1024)).toBeRejectedWith(jasmine.objectContaining({ code: 'invalid-remote-data' }));
    expect((await gunzip(bomb)).byteLength).toBe(4 * 1024 * 1024);
  });

});
