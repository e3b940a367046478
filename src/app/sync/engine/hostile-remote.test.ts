import { gzip, jsonBytes, parseJsonBytes } from './codec';
import { META_PATH, RootMeta } from './remote-format';
import { isSyncError } from './sync-error';
import { World, create, edit, syncAll, task } from './testing/harness';

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

  it('refuses a delta whose field has the wrong type, applies nothing, and recovers when the file is sound again', async () => {
    const { b, deltaFile } = await setUp();
    const original = await tamperDelta(deltaFile, (delta) => {
      const entities = delta['entities'] as Array<{ keys: unknown[][] }>;
      entities[0].keys = entities[0].keys.map(([key, values, replaced]) => (key === 'title' ? [key, (values as unknown[][]).map(([, r, n, t]) => [42, r, n, t]), replaced ?? []] : [key, values, replaced ?? []]));
      return delta;
    });
    await expectRefused(b, /title must be string/);
    await world.remote.write(deltaFile, original);
    await b.sync();
    expect(b.entity('task', 't1')!['title']).toBe('Newer');
  });

  it('refuses __proto__, constructor and prototype as field names, and nothing is polluted', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      world = new World();
      const { b, deltaFile } = await setUp();
      await tamperDelta(deltaFile, (delta) => {
        const entities = delta['entities'] as Array<{ keys: unknown[][] }>;
        entities[0].keys.push([name, [[{ polluted: true }, 'x1', 1, '0000000000000']]]);
        return delta;
      });
      await expectRefused(b, /not an allowed field name/);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
  });

  it('refuses an entity of a kind the app does not know', async () => {
    const { b, deltaFile } = await setUp();
    await tamperDelta(deltaFile, (delta) => {
      (delta['entities'] as Array<Record<string, unknown>>)[0]['type'] = 'spaceship';
      return delta;
    });
    await expectRefused(b, /spaceship/);
  });

  it('refuses a truncated or garbled meta.json with a clear error', async () => {
    const { b } = await setUp();
    const meta = world.remote.files.get(META_PATH)!.data;
    await world.remote.write(META_PATH, meta.slice(0, meta.length / 2));
    await expectRefused(b, /not readable \(truncated or garbled\)/);
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

  it('refuses a remote value that names an impossible device or counter', async () => {
    const { b, deltaFile } = await setUp();
    await tamperDelta(deltaFile, (delta) => {
      const entities = delta['entities'] as Array<{ keys: unknown[][] }>;
      entities[0].keys = entities[0].keys.map(([key, values]) => [key, (values as unknown[][]).map(([v, , n, t]) => [v, 'bad replica!', n, t])]);
      return delta;
    });
    await expectRefused(b, /characters a device id cannot have/);
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
