/**
 * The benchmark's data set, generated from a fixed seed: `tasks` tasks spread over 20 projects and
 * 30 tags, plus 365 daily metrics. Same seed and size, same data, byte for byte.
 */
import { DomainEntity, EntityType } from '../../src/app/sync/engine/crdt/schema';
import { mulberry32 } from '../../src/app/sync/engine/simulation/simulation';

export interface BenchEntity {
  readonly type: EntityType;
  readonly entity: DomainEntity;
}

export const PROJECTS = 20;
export const TAGS = 30;
export const METRIC_DAYS = 365;
const BASE = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;


const WORDS =
  'call write review plan buy fix update check send email report draft meeting budget design test deploy clean book order pay read prepare sketch garden invoice client team weekly monthly notes slides backup server kitchen doctor dentist groceries birthday gift trip hotel train ticket refactor bug docs release'.split(
    ' ',
  );

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function generate(tasks: number, seed = 7): BenchEntity[] {
  const random = mulberry32(seed ^ tasks); // the simulation's seeded generator
  const int = (n: number) => Math.floor(random() * n);
  const words = (min: number, max: number) => Array.from({ length: min + int(max - min + 1) }, () => WORDS[int(WORDS.length)]).join(' ');
  const projectTasks: string[][] = Array.from({ length: PROJECTS }, () => []);
  const tagTasks: string[][] = Array.from({ length: TAGS }, () => []);
  const out: BenchEntity[] = [];
  for (let i = 0; i < tasks; i++) {
    const id = `t${i.toString(36)}-${int(1e9).toString(36)}`;
    const project = int(PROJECTS);
    projectTasks[project].push(id);
    const tagIds = [...new Set(Array.from({ length: int(4) }, () => int(TAGS)))].map((t) => {
      tagTasks[t].push(id);
      return `tag${t}`;
    });
    const created = BASE - int(365) * DAY + int(DAY);
    const isDone = random() < 0.3;
    const timeSpentOnDay: Record<string, number> = {};
    for (let d = int(4); d > 0; d--) timeSpentOnDay[day(created + int(30) * DAY)] = (1 + int(120)) * 60_000;
    const timeSpent = Object.values(timeSpentOnDay).reduce((a, b) => a + b, 0);
    const modified = created + int(30) * DAY;
    out.push({
      type: 'task',
      entity: {
        id,
        title: words(2, 7),
        notes: random() < 0.3 ? words(5, 40) : '',
        isDone,
        doneOn: isDone ? modified : null,
        projectId: `p${project}`,
        parentId: null,
        subTaskIds: [],
        tagIds,
        timeEstimate: int(9) * 15 * 60_000,
        timeSpent,
        timeSpentOnDay,
        dueDay: random() < 0.2 ? day(created + int(60) * DAY) : null,
        created,
        version: 1 + int(5),
        lastModifiedAt: modified,
        lastModifiedBy: 'seed',
      },
    });
  }
  const projects: BenchEntity[] = projectTasks.map((taskIds, p) => ({
    type: 'project',
    entity: { id: `p${p}`, title: `Project ${words(1, 3)}`, taskIds, backlogTaskIds: [], theme: { primary: `#${(0x100000 + int(0xefffff)).toString(16)}` }, isArchived: false, version: 1, lastModifiedAt: BASE, lastModifiedBy: 'seed' },
  }));
  const tags: BenchEntity[] = tagTasks.map((taskIds, t) => ({
    type: 'tag',
    entity: { id: `tag${t}`, title: WORDS[t], taskIds: [...new Set(taskIds)], color: `#${(0x100000 + int(0xefffff)).toString(16)}`, version: 1, lastModifiedAt: BASE, lastModifiedBy: 'seed' },
  }));
  const metrics: BenchEntity[] = Array.from({ length: METRIC_DAYS }, (_, d) => ({
    type: 'metric',
    entity: { id: day(BASE - (METRIC_DAYS - d) * DAY), mood: 1 + int(5), productivity: 1 + int(5), notes: random() < 0.2 ? words(3, 12) : '', lastModifiedAt: BASE - (METRIC_DAYS - d) * DAY + DAY / 2 },
  }));
  return [...projects, ...tags, ...out, ...metrics];
}

/** The whole state as the app's whole-file export (`main.json`): `{format, formatVersion, exportedAt, data: {type: {ids, entities}}}`. */
export function wholeFileExport(entities: Iterable<BenchEntity>, exportedAt: number): unknown {
  const data: Record<string, { ids: string[]; entities: Record<string, DomainEntity> }> = {
    project: { ids: [], entities: {} },
    tag: { ids: [], entities: {} },
    task: { ids: [], entities: {} },
    metric: { ids: [], entities: {} },
  };
  for (const { type, entity } of entities) {
    data[type].ids.push(entity.id);
    data[type].entities[entity.id] = entity;
  }
  return { format: 'super-sync-backup', formatVersion: 1, exportedAt, data };
}
