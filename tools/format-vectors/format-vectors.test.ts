/**
 * The engine against docs/format-vectors/ (data any client can check itself against): a fresh
 * device that syncs each vector's folder shows exactly its expected entities and conflicts; the
 * migration of main.json gives exactly the vector's delta; and every example in
 * docs/sync-format.md marked with a vector comment is that vector's file, so the doc, the vectors
 * and the engine cannot drift apart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyDelta } from '../../src/app/sync/engine/remote/legacy-import';
import { readVectorView, VECTORS_DIR, VectorExpectation, vectorNames } from './vectors';

const DOC = join(VECTORS_DIR, '..', 'sync-format.md');

describe('the remote format vectors (docs/format-vectors/)', () => {
  it('has the vectors the doc promises', () => {
    expect(vectorNames()).toEqual(jasmine.arrayContaining(['compaction', 'conflicts', 'dangling-references', 'deltas', 'encrypted', 'lock-mode', 'migration']));
  });

  for (const name of vectorNames()) {
    it(`shows what ${name}/expected.json says a reader must show`, async () => {
      const dir = join(VECTORS_DIR, name);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as VectorExpectation;
      const passphraseFile = join(dir, 'passphrase.txt');
      const passphrase = existsSync(passphraseFile) ? readFileSync(passphraseFile, 'utf8').trim() : undefined;
      const view = await readVectorView(dir, { mode: expected.mode, passphrase });
      expect(JSON.parse(JSON.stringify(view.entities))).toEqual(expected.entities);
      expect(JSON.parse(JSON.stringify(view.conflicts))).toEqual(expected.conflicts);
    });
  }

  it('migrates main.json into exactly the delta of migration/migration-delta.json (numbered by register key, not by field order)', () => {
    const dir = join(VECTORS_DIR, 'migration');
    const delta = legacyDelta(JSON.parse(readFileSync(join(dir, 'remote', 'main.json'), 'utf8')));
    const expected: unknown = JSON.parse(readFileSync(join(dir, 'migration-delta.json'), 'utf8'));
    const asFile: unknown = {
      replica: delta.replica,
      dots: delta.dots,
      entities: delta.entities.map((entity) => ({ type: entity.type, id: entity.id, ver: entity.ver, keys: entity.changes.map((change) => [change.key, change.values.map((v) => [v.v, v.r, v.n, v.t])]) })),
    };
    expect(JSON.parse(JSON.stringify(asFile))).toEqual(expected);
  });

  it("copies every example of docs/sync-format.md from a vector's file", () => {
    const doc = readFileSync(DOC, 'utf8');
    const examples = [...doc.matchAll(/<!-- vector: (\S+) -->\s*```json\n([\s\S]*?)```/g)];
    expect(examples.length).withContext('examples marked <!-- vector: path --> in the doc').toBeGreaterThanOrEqual(3);
    for (const [, path, body] of examples) {
      const file = JSON.parse(readFileSync(join(VECTORS_DIR, path!), 'utf8')) as unknown;
      expect(JSON.parse(body!)).withContext(path!).toEqual(file);
    }
    // No unmarked JSON example of a sync file is left to drift.
    const unmarked = [...doc.matchAll(/(<!-- vector: \S+ -->\s*)?```json\n\s*\{\s*"format": "super-sync\//g)].filter((match) => !match[1]);
    expect(unmarked.length).withContext('a ```json example of a sync file without a vector comment').toBe(0);
  });
});
