import spFixture from '../../../testing/fixtures/super-productivity-backup.json';
import { parseBackup, ImportResult } from './parse-backup';
import { createBackup } from './backup-format';
import { aProject, aTag, aTask, STAMP } from '../../../testing/domain-testing';
import { DomainData } from '../domain-data.model';

function errorsOf(result: ImportResult): string[] {
  if (result.ok) throw new Error('expected the import to be refused');
  return result.errors;
}

function dataOf(result: ImportResult): DomainData {
  if (!result.ok) throw new Error(`expected the import to succeed: ${result.errors.join('; ')}`);
  return result.data;
}

const ownExport = (data: Partial<DomainData>) =>
  JSON.stringify(createBackup({ task: [], project: [], tag: [], metric: [], ...data }, 1));

describe('parseBackup', () => {
  describe('a Super Productivity backup (the fixture)', () => {
    const result = parseBackup(JSON.stringify(spFixture), STAMP);

    it('is recognised and imports its tasks, project and TODAY tag', () => {
      expect(result.ok).toBeTrue();
      const data = dataOf(result);
      expect(data.task.map((t) => t.id)).toEqual(['active-task-1', 'active-task-2', 'active-task-subtask-1']);
      expect(data.project.map((p) => p.id)).toEqual(['INBOX_PROJECT']);
      expect(data.tag.map((t) => t.title)).toEqual(['Today']);
      expect(data.metric).toEqual([]);
    });

    it('maps the fields it models and keeps the subtask under its parent', () => {
      const data = dataOf(result);
      const parent = data.task.find((t) => t.id === 'active-task-1')!;
      const sub = data.task.find((t) => t.id === 'active-task-subtask-1')!;
      expect(parent).toEqual(jasmine.objectContaining({
        title: 'E2E Import Test - Active Task With Subtask', timeEstimate: 3_600_000, dueDay: '2024-12-01',
        projectId: 'INBOX_PROJECT', parentId: null, subTaskIds: ['active-task-subtask-1'], doneOn: null,
      }));
      expect(sub.parentId).toBe('active-task-1');
      expect(data.project[0].taskIds).toEqual(['active-task-1', 'active-task-2']);
      expect(data.project[0].theme).toEqual({ primary: '#607d8b' });
      expect(data.tag[0].color).toBe('#ffa726');
    });

    it('ignores what the app does not model (attachments, icons, advanced config)', () => {
      const data = dataOf(result);
      expect(Object.keys(data.task[0])).not.toContain('attachments');
      expect(Object.keys(data.project[0])).not.toContain('advancedCfg');
    });

    it('stamps entities without sync metadata: version 1, their creation time, this device', () => {
      const task = dataOf(result).task[0];
      expect(task).toEqual(jasmine.objectContaining({ version: 1, lastModifiedAt: 1733000000000, lastModifiedBy: STAMP.deviceId }));
      expect(dataOf(result).project[0].lastModifiedAt).toBe(STAMP.now);
    });
  });

  it('maps Super Productivity metrics by day, keeping mood and productivity', () => {
    const sp = structuredClone(spFixture) as unknown as { data: { metric: unknown } };
    sp.data.metric = { ids: ['2024-11-30'], entities: { '2024-11-30': { id: '2024-11-30', mood: 4, productivity: 3, obstructions: [], improvements: [] } } };
    const metric = dataOf(parseBackup(JSON.stringify(sp), STAMP)).metric[0];
    expect(metric).toEqual(jasmine.objectContaining({ id: '2024-11-30', mood: 4, productivity: 3, notes: '' }));
  });

  it('reads back its own export, entity for entity', () => {
    const data: DomainData = {
      task: [aTask('a', { projectId: 'p', tagIds: ['x'], timeSpentOnDay: { '2026-01-01': 5 } })],
      project: [{ ...aProject('p'), taskIds: ['a'] }],
      tag: [{ ...aTag('x'), taskIds: ['a'] }],
      metric: [{ id: '2026-01-01', mood: 5, productivity: 6, notes: 'n', version: 3, lastModifiedAt: 9, lastModifiedBy: 'd' }],
    };
    const result = parseBackup(ownExport(data), STAMP);
    expect(dataOf(result)).toEqual(data);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('refuses text that is not JSON, saying so', () => {
    expect(errorsOf(parseBackup('{ nope', STAMP))[0]).toMatch(/^The file is not valid JSON/);
  });

  it('refuses JSON of an unknown shape, saying which shapes it expected', () => {
    expect(errorsOf(parseBackup('{"hello": 1}', STAMP))[0]).toContain('neither a Tandem Tasks export');
    expect(errorsOf(parseBackup('[1,2]', STAMP))).toEqual(['The file does not hold an object at the top level.']);
  });

  it('refuses a newer format version than it knows', () => {
    const text = JSON.stringify({ ...createBackup({ task: [], project: [], tag: [], metric: [] }, 1), formatVersion: 99 });
    expect(errorsOf(parseBackup(text, STAMP))[0]).toContain('format version 99');
  });

  it('names the entity and field of every wrong type', () => {
    const text = ownExport({
      task: [{ ...aTask('abc'), title: 7, isDone: 'yes', dueDay: 'tomorrow' } as never],
      project: [{ ...aProject('p'), taskIds: 'a,b' } as never],
    });
    expect(errorsOf(parseBackup(text, STAMP))).toEqual([
      "task 'abc': title must be a string",
      "task 'abc': isDone must be true or false",
      "task 'abc': dueDay must be a day as YYYY-MM-DD or null",
      "project 'p': taskIds must be a list of ids (strings)",
    ]);
  });

  it('refuses missing required parts and duplicate ids', () => {
    expect(errorsOf(parseBackup(JSON.stringify({ format: 'super-sync-backup', formatVersion: 1, data: { project: [] } }), STAMP))).toEqual(['data.task is missing']);
    expect(errorsOf(parseBackup(ownExport({ task: [aTask('a'), aTask('a')] }), STAMP))).toEqual(["task 'a': appears more than once"]);
  });

  it('refuses ids that could reach Object.prototype, in either format', () => {
    const sp = '{"data":{"project":{"ids":[],"entities":{}},"task":{"ids":["__proto__"],"entities":{"__proto__":{"id":"__proto__","title":"x"}}}}}';
    expect(errorsOf(parseBackup(sp, STAMP))).toEqual(["task '__proto__': this id is not allowed"]);
    expect(errorsOf(parseBackup(ownExport({ project: [{ ...aProject('constructor') }] }), STAMP))).toEqual(["project 'constructor': this id is not allowed"]);
    expect(({} as Record<string, unknown>)['title']).toBeUndefined();
  });

  it('repairs dangling references and reports each repair as a warning', () => {
    const result = parseBackup(ownExport({ task: [aTask('a', { projectId: 'gone', tagIds: ['ghost'] })] }), STAMP);
    const data = dataOf(result);
    expect(data.task[0].projectId).toBeNull();
    expect(data.task[0].tagIds).toEqual([]);
    expect(result.ok && result.warnings).toEqual([
      "task 'a': project 'gone' does not exist, the task is now in no project",
      "task 'a': tag(s) 'ghost' do not exist and were removed",
    ]);
  });
});
