import fc from 'fast-check';
import { DomainEntity, ENTITY_TYPES, EntityType } from '../crdt/schema';
import { IncrementalRepair } from './incremental-repair';
import { repairReferences } from './repair';

/**
 * The incremental repair against the reference (repair.ts): after every batch of changes, the
 * same entities, field for field, and the same objects where the reference returns its input.
 * The data is drawn from a few ids so that tasks, parents, projects and tags name each other,
 * name what is gone, name themselves and form chains, with odd values among them.
 */
const TASKS = ['a', 'b', 'c', 'd', 'e', 'f'];
const PROJECTS = ['p', 'q', 'r'];
const TAGS = ['x', 'y', 'z'];

const ref = (ids: string[]) => fc.oneof(fc.constantFrom(...ids), fc.constant(null), fc.constant('gone'), fc.constant(undefined), fc.constant(7));
const list = (ids: string[]) => fc.oneof(fc.array(fc.constantFrom(...ids, 'gone'), { maxLength: 5 }), fc.constant(undefined), fc.constant('not a list'));

const taskArb = (id: string) =>
  fc.record({ projectId: ref(PROJECTS), parentId: ref(TASKS), tagIds: list(TAGS), subTaskIds: list(TASKS), created: fc.integer({ min: 0, max: 3 }), title: fc.string({ maxLength: 3 }) }).map((fields) => ({ id, ...fields }) as DomainEntity);
const projectArb = (id: string) => fc.record({ taskIds: list(TASKS), backlogTaskIds: list(TASKS), title: fc.string({ maxLength: 3 }) }).map((fields) => ({ id, ...fields }) as DomainEntity);
const tagArb = (id: string) => fc.record({ taskIds: list(TASKS), title: fc.string({ maxLength: 3 }) }).map((fields) => ({ id, ...fields }) as DomainEntity);

type Change = { type: EntityType; id: string; entity: DomainEntity | null };
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.constantFrom(...TASKS).chain((id) => fc.option(taskArb(id), { nil: null }).map((entity) => ({ type: 'task' as const, id, entity }))),
  fc.constantFrom(...PROJECTS).chain((id) => fc.option(projectArb(id), { nil: null }).map((entity) => ({ type: 'project' as const, id, entity }))),
  fc.constantFrom(...TAGS).chain((id) => fc.option(tagArb(id), { nil: null }).map((entity) => ({ type: 'tag' as const, id, entity }))),
  fc.constantFrom('2026-01-01', '2026-01-02').chain((id) => fc.option(fc.constant({ id, note: 'n' } as DomainEntity), { nil: null }).map((entity) => ({ type: 'metric' as const, id, entity }))),
);

describe('the incremental repair', () => {
  it('gives what the reference repair gives, after every batch of changes, keeping the objects it keeps', () => {
    fc.assert(
      fc.property(fc.array(fc.array(change, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }), (batches) => {
        const repair = new IncrementalRepair();
        for (const batch of batches) {
          for (const { type, id, entity } of batch) repair.set(type, id, entity);
          repair.refresh();
          const expected = repairReferences(repair.raw);
          for (const type of ENTITY_TYPES) {
            expect([...repair.repaired[type].keys()].sort()).toEqual([...expected[type].keys()].sort());
            for (const [id, entity] of expected[type]) {
              expect(repair.repaired[type].get(id)).withContext(`${type} ${id}`).toEqual(entity);
              if (entity === repair.raw[type].get(id)) expect(repair.repaired[type].get(id)).withContext(`${type} ${id} kept as it was`).toBe(entity);
            }
          }
        }
      }),
      { numRuns: 3000, seed: 20261203 },
    );
  });

  it('reports every entity whose repaired form changed', () => {
    fc.assert(
      fc.property(fc.array(fc.array(change, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 8 }), (batches) => {
        const repair = new IncrementalRepair();
        let shown = new Map<string, DomainEntity | undefined>();
        for (const batch of batches) {
          for (const { type, id, entity } of batch) repair.set(type, id, entity);
          const reported = new Set(repair.refresh());
          const now = new Map(ENTITY_TYPES.flatMap((type) => [...repair.repaired[type]].map(([id, entity]) => [`${type}:${id}` as string, entity] as const)));
          for (const key of new Set([...shown.keys(), ...now.keys()])) {
            if (shown.get(key) !== now.get(key)) expect(reported.has(key)).withContext(key).toBe(true);
          }
          shown = now;
        }
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });
});
