/**
 * What the sync knows of the app's entities: their types and how each field merges (SYNC.md §5).
 * The engine does not import the domain; this table is the contract between them. A field not
 * listed merges as a scalar, so fields a newer app adds still travel.
 */
export type EntityType = 'task' | 'project' | 'tag' | 'metric';
export const ENTITY_TYPES: readonly EntityType[] = ['project', 'tag', 'task', 'metric'];

export type FieldKind = 'scalar' | 'id-set' | 'ordered-ids' | 'day-map';

export const FIELD_KINDS: Readonly<Record<EntityType, Readonly<Record<string, FieldKind>>>> = {
  task: {
    title: 'scalar',
    notes: 'scalar',
    isDone: 'scalar',
    doneOn: 'scalar',
    projectId: 'scalar',
    parentId: 'scalar',
    subTaskIds: 'ordered-ids',
    tagIds: 'id-set',
    timeEstimate: 'scalar',
    timeSpent: 'scalar',
    timeSpentOnDay: 'day-map',
    dueDay: 'scalar',
    created: 'scalar',
  },
  project: { title: 'scalar', taskIds: 'ordered-ids', backlogTaskIds: 'ordered-ids', theme: 'scalar', isArchived: 'scalar' },
  tag: { title: 'scalar', taskIds: 'ordered-ids', color: 'scalar' },
  metric: { mood: 'scalar', productivity: 'scalar', notes: 'scalar' },
};

/** Bookkeeping fields of EntitySyncMetadata: derived by the engine, never merged as data. */
export const METADATA_FIELDS: ReadonlySet<string> = new Set(['id', 'version', 'lastModifiedAt', 'lastModifiedBy']);

export function fieldKind(type: EntityType, field: string): FieldKind {
  return FIELD_KINDS[type][field] ?? 'scalar';
}

export function isEntityType(value: unknown): value is EntityType {
  return typeof value === 'string' && (ENTITY_TYPES as readonly string[]).includes(value);
}

/** A domain entity as the app holds it: plain JSON with an id. */
export interface DomainEntity {
  readonly id: string;
  readonly [field: string]: unknown;
}

/** The longest entity id and register key any reader accepts; nothing longer is ever sent. */
export const MAX_ENTITY_ID = 256;
export const MAX_REGISTER_KEY = 400;

export function isSyncableId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ENTITY_ID;
}

export function entityKey(type: EntityType, id: string): string {
  return `${type}:${id}`;
}

export function splitEntityKey(key: string): { type: EntityType; id: string } {
  const colon = key.indexOf(':');
  return { type: key.slice(0, colon) as EntityType, id: key.slice(colon + 1) };
}
