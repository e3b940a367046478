import { DomainEntity, ENTITY_TYPES, entityKey, EntityType } from '../crdt/schema';
import { EntitiesByType, isTopLevel, orderedMembers, sameList, stringList, unique } from './repair';

/**
 * The referential repair of repair.ts (the reference: same input, same output, same objects for
 * what needs no repair), kept up to date entity by entity, so a round that changed a few entities
 * repairs those and the lists they are in, not everything. A task is first *placed* (its project,
 * tags and parent checked against what exists, a subtask moved to its parent's project), then
 * *finished* (its subtask list built from the placed tasks naming it); projects and tags are built
 * from the placed tasks. What a change can reach is found through indexes: a task's raw children
 * and theirs (whether a parent is top-level depends on its own parent), a project's and a tag's raw
 * tasks, and every list a re-placed task left or joined.
 */
export class IncrementalRepair {
  readonly raw = emptyByType();
  readonly repaired = emptyByType();
  private readonly placed = new Map<string, DomainEntity>();
  private readonly rawChildren = new Index();
  private readonly rawInProject = new Index();
  private readonly rawWithTag = new Index();
  private readonly children = new Index();
  private readonly topLevel = new Index();
  private readonly tagged = new Index();
  private readonly pending = ENTITY_TYPES.reduce((all, type) => ({ ...all, [type]: new Set<string>() }), {} as Record<EntityType, Set<string>>);

  constructor() {
    // Metrics reference nothing and nothing references them: shown as they are.
    this.repaired.metric = this.raw.metric;
  }

  /** An entity as the records now give it (null: gone). */
  set(type: EntityType, id: string, entity: DomainEntity | null): void {
    const before = this.raw[type].get(id);
    if (type === 'task') {
      if (before) this.indexRaw(id, before, 'remove');
      if (entity) this.indexRaw(id, entity, 'add');
    }
    if (entity) this.raw[type].set(id, entity);
    else this.raw[type].delete(id);
    this.pending[type].add(id);
  }

  /** Repair what the changes since the last call can reach; returns the keys whose repaired entity may differ. */
  refresh(): string[] {
    const toPlace = new Set<string>();
    const withChildren = (id: string) => {
      toPlace.add(id);
      for (const child of this.rawChildren.get(id)) toPlace.add(child);
    };
    for (const id of this.pending.task) {
      withChildren(id);
      for (const child of this.rawChildren.get(id)) withChildren(child);
    }
    for (const id of this.pending.project) for (const task of this.rawInProject.get(id)) withChildren(task);
    for (const id of this.pending.tag) for (const task of this.rawWithTag.get(id)) toPlace.add(task);

    const lists = { task: new Set<string>(), project: new Set(this.pending.project), tag: new Set(this.pending.tag) };
    for (const id of toPlace) {
      const before = this.placed.get(id) ?? null;
      const after = this.place(id);
      lists.task.add(id);
      if (before === after) continue;
      for (const [task, change] of [[before, 'remove'], [after, 'add']] as const) {
        if (!task) continue;
        this.indexPlaced(id, task, change);
        if (typeof task['parentId'] === 'string') lists.task.add(task['parentId']);
        if (isTopLevel(task) && typeof task['projectId'] === 'string') lists.project.add(task['projectId']);
        for (const tag of stringList(task['tagIds'])) lists.tag.add(tag);
      }
      if (after) this.placed.set(id, after);
      else this.placed.delete(id);
    }

    for (const id of lists.task) this.put('task', id, this.placed.get(id), (task) => this.finishTask(task));
    for (const id of lists.project) this.put('project', id, this.raw.project.get(id), (project) => this.finishProject(project));
    for (const id of lists.tag) this.put('tag', id, this.raw.tag.get(id), (tag) => this.finishTag(tag));
    const changed = ENTITY_TYPES.flatMap((type) => [...(type === 'metric' ? this.pending.metric : lists[type])].map((id) => entityKey(type, id)));
    for (const type of ENTITY_TYPES) this.pending[type].clear();
    return changed;
  }

  private put(type: 'task' | 'project' | 'tag', id: string, entity: DomainEntity | undefined, finish: (entity: DomainEntity) => DomainEntity): void {
    if (entity) this.repaired[type].set(id, finish(entity));
    else this.repaired[type].delete(id);
  }

  /** A task's own references checked (repair.ts, first three passes). */
  private place(id: string): DomainEntity | null {
    const task = this.raw.task.get(id);
    if (!task) return null;
    let fixed = task;
    const projectId = task['projectId'];
    if (typeof projectId === 'string' && !this.raw.project.has(projectId)) fixed = { ...fixed, projectId: null };
    const tagIds = stringList(task['tagIds']);
    const liveTags = unique(tagIds.filter((tag) => this.raw.tag.has(tag)));
    if (liveTags.length !== tagIds.length || !Array.isArray(task['tagIds'])) fixed = { ...fixed, tagIds: liveTags };
    const parentId = fixed['parentId'];
    if (parentId === undefined || parentId === null) return fixed;
    const parent = typeof parentId === 'string' ? this.raw.task.get(parentId) : undefined;
    const parentIsTopLevel = parent !== undefined && (parent['parentId'] === null || parent['parentId'] === undefined || !this.raw.task.has(parent['parentId'] as string));
    if (!parent || parentId === id || !parentIsTopLevel) return { ...fixed, parentId: null };
    // A subtask lives in its parent's project (the parent's own project, checked as above).
    const own = parent['projectId'];
    const parentProject = (typeof own === 'string' && !this.raw.project.has(own) ? null : own) ?? null;
    return (fixed['projectId'] ?? null) !== parentProject ? { ...fixed, projectId: parentProject } : fixed;
  }

  private readonly byCreation = (a: string, b: string): number => {
    const ca = Number(this.placed.get(a)?.['created'] ?? 0);
    const cb = Number(this.placed.get(b)?.['created'] ?? 0);
    return ca !== cb ? ca - cb : a < b ? -1 : a > b ? 1 : 0;
  };

  private finishTask(task: DomainEntity): DomainEntity {
    const subTaskIds = orderedMembers(task['subTaskIds'], this.children.get(task.id), this.byCreation);
    return sameList(task['subTaskIds'], subTaskIds) ? task : { ...task, subTaskIds };
  }

  private finishProject(project: DomainEntity): DomainEntity {
    const belonging = this.topLevel.get(project.id);
    const listed = unique(stringList(project['taskIds']).filter((task) => belonging.has(task)));
    const inMain = new Set(listed);
    const backlogTaskIds = unique(stringList(project['backlogTaskIds']).filter((task) => belonging.has(task) && !inMain.has(task)));
    const placed = new Set([...listed, ...backlogTaskIds]);
    const taskIds = listed.concat([...belonging].filter((task) => !placed.has(task)).sort(this.byCreation));
    const same = sameList(project['taskIds'], taskIds) && sameList(project['backlogTaskIds'], backlogTaskIds);
    return same ? project : { ...project, taskIds, backlogTaskIds };
  }

  private finishTag(tag: DomainEntity): DomainEntity {
    const taskIds = orderedMembers(tag['taskIds'], this.tagged.get(tag.id), this.byCreation);
    return sameList(tag['taskIds'], taskIds) ? tag : { ...tag, taskIds };
  }

  private indexRaw(id: string, task: DomainEntity, change: 'add' | 'remove'): void {
    if (typeof task['parentId'] === 'string') this.rawChildren[change](task['parentId'], id);
    if (typeof task['projectId'] === 'string') this.rawInProject[change](task['projectId'], id);
    for (const tag of stringList(task['tagIds'])) this.rawWithTag[change](tag, id);
  }

  private indexPlaced(id: string, task: DomainEntity, change: 'add' | 'remove'): void {
    if (typeof task['parentId'] === 'string') this.children[change](task['parentId'], id);
    if (isTopLevel(task) && typeof task['projectId'] === 'string') this.topLevel[change](task['projectId'], id);
    for (const tag of stringList(task['tagIds'])) this.tagged[change](tag, id);
  }
}

const NONE: ReadonlySet<string> = new Set();

/** Ids by a key they hold (a parent, a project, a tag). */
class Index {
  private readonly sets = new Map<string, Set<string>>();

  get(key: string): Set<string> {
    return (this.sets.get(key) ?? NONE) as Set<string>;
  }

  add(key: string, id: string): void {
    let set = this.sets.get(key);
    if (!set) this.sets.set(key, (set = new Set()));
    set.add(id);
  }

  remove(key: string, id: string): void {
    const set = this.sets.get(key);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) this.sets.delete(key);
  }
}

function emptyByType(): EntitiesByType {
  return Object.fromEntries(ENTITY_TYPES.map((type) => [type, new Map<string, DomainEntity>()])) as EntitiesByType;
}
