import { LocalChange } from '../replica/replica-state';
import { DomainEntity, EntityType } from '../crdt/schema';

/**
 * The task app's rules, as small as the simulation needs them: every operation returns the
 * entities it changes, keeping the id lists consistent with the tasks' own fields as the app's
 * reducers do. Choices are drawn from `pick`, so a seed replays a run exactly.
 */
export interface Pick {
  int(max: number): number;
  chance(p: number): boolean;
}

export type View = (type: EntityType) => DomainEntity[];

const TITLES = ['Buy milk', 'Call Ann', 'Write report', 'Fix bike', 'Plan trip', 'Read book'];
const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22'];

export interface DomainOp {
  readonly name: string;
  readonly changes: LocalChange[];
}

export function randomOp(view: View, pick: Pick, newId: () => string, now: number): DomainOp | null {
  const tasks = view('task');
  const projects = view('project');
  const tags = view('tag');
  const choose = <T>(list: T[]): T | undefined => (list.length ? list[pick.int(list.length)] : undefined);
  const topLevel = tasks.filter((task) => !task['parentId']);
  const roll = pick.int(20);

  if (roll === 0 || projects.length === 0) {
    const id = newId();
    return op('create project', [change('project', { id, title: `Project ${id}`, taskIds: [], backlogTaskIds: [], theme: { primary: '#3f51b5' }, isArchived: false, version: 1 })]);
  }
  if (roll === 1) {
    const project = choose(projects)!;
    return op('rename project', [change('project', { ...project, title: choose(TITLES)! })]);
  }
  if (roll === 2 || (roll === 3 && tags.length === 0)) {
    const id = newId();
    return op('create tag', [change('tag', { id, title: `Tag ${id}`, taskIds: [], color: '#ff0000', version: 1 })]);
  }
  if (roll <= 5 || tasks.length === 0) {
    const project = pick.chance(0.85) ? choose(projects) : undefined;
    const tag = pick.chance(0.3) ? choose(tags) : undefined;
    const id = newId();
    const task = newTask(id, { projectId: project?.id ?? null, tagIds: tag ? [tag.id] : [], created: now });
    const changes = [change('task', task)];
    if (project) changes.push(change('project', { ...project, taskIds: [...ids(project['taskIds']), id] }));
    if (tag) changes.push(change('tag', { ...tag, taskIds: [...ids(tag['taskIds']), id] }));
    return op('create task', changes);
  }
  const task = choose(tasks)!;
  switch (roll) {
    case 6: {
      const parent = choose(topLevel);
      if (!parent) return null;
      const id = newId();
      return op('add subtask', [
        change('task', newTask(id, { projectId: parent['projectId'] ?? null, parentId: parent.id, created: now })),
        change('task', { ...parent, subTaskIds: [...ids(parent['subTaskIds']), id] }),
      ]);
    }
    case 7:
    case 8:
      return op('rename task', [change('task', { ...task, title: choose(TITLES)! })]);
    case 9:
      return op('toggle done', [change('task', { ...task, isDone: !task['isDone'], doneOn: task['isDone'] ? null : now })]);
    case 10:
      return op('estimate', [change('task', { ...task, timeEstimate: pick.int(8) * 900_000 })]);
    case 11: {
      const day = choose(DAYS)!;
      const spent = { ...(task['timeSpentOnDay'] as Record<string, number>), [day]: pick.int(10) * 60_000 };
      return op('track time', [change('task', { ...task, timeSpentOnDay: spent, timeSpent: Object.values(spent).reduce((a, b) => a + b, 0) })]);
    }
    case 12: {
      const tag = choose(tags);
      if (!tag) return null;
      const has = ids(task['tagIds']).includes(tag.id);
      return op(has ? 'untag' : 'tag', [
        change('task', { ...task, tagIds: has ? ids(task['tagIds']).filter((id) => id !== tag.id) : [...ids(task['tagIds']), tag.id] }),
        change('tag', { ...tag, taskIds: has ? ids(tag['taskIds']).filter((id) => id !== task.id) : [...ids(tag['taskIds']), task.id] }),
      ]);
    }
    case 13: {
      const moving = choose(topLevel);
      const target = choose(projects);
      if (!moving || !target || moving['projectId'] === target.id) return null;
      const changes = [change('task', { ...moving, projectId: target.id })];
      const source = projects.find((project) => project.id === moving['projectId']);
      if (source) changes.push(change('project', { ...source, taskIds: ids(source['taskIds']).filter((id) => id !== moving.id) }));
      changes.push(change('project', { ...target, taskIds: [...ids(target['taskIds']), moving.id] }));
      for (const sub of tasks.filter((t) => t['parentId'] === moving.id)) changes.push(change('task', { ...sub, projectId: target.id }));
      return op('move task', changes);
    }
    case 14: {
      const project = choose(projects.filter((p) => ids(p['taskIds']).length > 1));
      if (!project) return null;
      const order = ids(project['taskIds']);
      const [moved] = order.splice(pick.int(order.length), 1);
      order.splice(pick.int(order.length + 1), 0, moved);
      return op('reorder', [change('project', { ...project, taskIds: order })]);
    }
    case 15:
    case 16:
      return deleteTask(view, task);
    case 17: {
      const day = choose(DAYS)!;
      const existing = view('metric').find((metric) => metric.id === day);
      return op('metric', [change('metric', { ...(existing ?? { id: day, notes: '' }), id: day, mood: pick.int(5) + 1, productivity: pick.int(5) + 1, version: 1 })]);
    }
    case 18: {
      const tag = choose(tags);
      if (!tag || pick.chance(0.5)) return null;
      const changes = [remove('tag', tag.id)];
      for (const tagged of tasks.filter((t) => ids(t['tagIds']).includes(tag.id))) {
        changes.push(change('task', { ...tagged, tagIds: ids(tagged['tagIds']).filter((id) => id !== tag.id) }));
      }
      return op('delete tag', changes);
    }
    default: {
      const project = choose(projects)!;
      return op('archive project', [change('project', { ...project, isArchived: !project['isArchived'] })]);
    }
  }
}

function deleteTask(view: View, task: DomainEntity): DomainOp {
  const tasks = view('task');
  const doomed = new Set([task.id, ...tasks.filter((t) => t['parentId'] === task.id).map((t) => t.id)]);
  const changes: LocalChange[] = [...doomed].map((id) => remove('task', id));
  for (const project of view('project')) {
    const kept = ids(project['taskIds']).filter((id) => !doomed.has(id));
    if (kept.length !== ids(project['taskIds']).length) changes.push(change('project', { ...project, taskIds: kept }));
  }
  for (const tag of view('tag')) {
    const kept = ids(tag['taskIds']).filter((id) => !doomed.has(id));
    if (kept.length !== ids(tag['taskIds']).length) changes.push(change('tag', { ...tag, taskIds: kept }));
  }
  const parent = tasks.find((t) => t.id === task['parentId']);
  if (parent) changes.push(change('task', { ...parent, subTaskIds: ids(parent['subTaskIds']).filter((id) => id !== task.id) }));
  return op('delete task', changes);
}

export function newTask(id: string, fields: Record<string, unknown>): DomainEntity {
  return {
    id,
    title: `Task ${id}`,
    notes: '',
    isDone: false,
    doneOn: null,
    projectId: null,
    parentId: null,
    subTaskIds: [],
    tagIds: [],
    timeEstimate: 0,
    timeSpent: 0,
    timeSpentOnDay: {},
    dueDay: null,
    created: 0,
    version: 1,
    ...fields,
  };
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function op(name: string, changes: LocalChange[]): DomainOp {
  return { name, changes };
}

function change(type: EntityType, entity: DomainEntity): LocalChange {
  const version = typeof entity['version'] === 'number' ? entity['version'] + 1 : 1;
  return { type, id: entity.id, entity: { ...entity, version } };
}

function remove(type: EntityType, id: string): LocalChange {
  return { type, id, entity: null };
}
