import { CausalContext } from './causal-context';
import { applyRegisterChange, newRecord, RegisterValue } from './entity-record';
import { lineage, replacedBy } from './lineage';
import { loadRecord, storeRecord, StoredRecord } from '../replica/persisted';
import { toWireValue } from '../remote/remote-format';

const value = (r: string, n: number, p?: Array<[string, number]>): RegisterValue => ({ v: `${r}${n}`, r, n, t: `0000000${n}`, ...(p ? { p } : {}) });

describe('lineage: what a write replaced, carried to the next write of the register', () => {
  it('carries what the replaced values had replaced, one dot per replica, never the writer’s own', () => {
    const earlier = value('A', 4, [['B', 2], ['C', 9]]);
    const theirs = value('B', 5);
    expect(lineage([earlier, theirs], 'A')).toEqual([['B', 5], ['C', 9]]);
    expect(replacedBy([earlier, theirs])).toEqual([['A', 4], ['B', 5], ['B', 2], ['C', 9]]);
    expect(lineage([value('A', 3)], 'A')).toBeUndefined();
  });

  it('lets a reader count a replaced dot as replacing every earlier value of its replica in that register', () => {
    const record = newRecord('task', 't1');
    // The reader holds B's older value; the writer replaced a later value of B in this register.
    record.keys.set('title', [value('B', 3)]);
    const seen = new CausalContext();
    seen.add(['B', 3]);
    const changed = applyRegisterChange(record, 'title', { values: [value('A', 7)], replaced: [['B', 5]] }, seen);
    expect(changed).toBeTrue();
    expect(record.keys.get('title')!.map((v) => `${v.r}:${v.n}`)).toEqual(['A:7']);
  });

  it('keeps a later value of that replica, which the writer had not seen', () => {
    const record = newRecord('task', 't1');
    record.keys.set('title', [value('B', 6)]);
    const seen = new CausalContext();
    seen.add(['B', 6]);
    applyRegisterChange(record, 'title', { values: [value('A', 7)], replaced: [['B', 5]] }, seen);
    expect(record.keys.get('title')!.map((v) => `${v.r}:${v.n}`).sort()).toEqual(['A:7', 'B:6']);
  });

  it('is stored with the value on this device and never put on the wire', () => {
    const record = newRecord('task', 't1');
    record.keys.set('title', [value('A', 4, [['B', 2]])]);
    expect(loadRecord(JSON.parse(JSON.stringify(storeRecord(record)))).keys.get('title')![0].p).toEqual([['B', 2]]);
    expect(toWireValue(record.keys.get('title')![0]) as unknown).toEqual(['A4', 'A', 4, '00000004']);
    // A state stored before values kept their lineage, or a malformed one, loads without it.
    const stored = { type: 'task', id: 't1', ver: 1, keys: [['title', [['x', 'A', 1, '00000001']]], ['notes', [['y', 'A', 2, '00000002', 'junk']]]] };
    const old = loadRecord(stored as unknown as StoredRecord);
    expect(old.keys.get('title')![0].p).toBeUndefined();
    expect(old.keys.get('notes')![0].p).toBeUndefined();
  });
});
