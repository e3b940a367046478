import { DELETED_KEY } from './entity-record';
import { Json } from './json';
import { EntityType, FieldKind, fieldKind } from './schema';

/**
 * What a register value may be, per entity type and field: the schema every remote value is
 * checked against before it touches the state. Fields this version does not know are allowed
 * (a newer app may add some) but must be plain JSON of bounded size. Null is always allowed
 * (a field the entity does not have). Local writes are held to the same rules (`local-writes.ts`),
 * so a device never sends what another device would refuse.
 */
type Rule = 'string' | 'string|null' | 'number' | 'number|null' | 'boolean' | 'object';

const RULES: Record<EntityType, Record<string, Rule>> = {
  task: {
    title: 'string',
    notes: 'string',
    isDone: 'boolean',
    doneOn: 'number|null',
    projectId: 'string|null',
    parentId: 'string|null',
    timeEstimate: 'number',
    timeSpent: 'number',
    dueDay: 'string|null',
    created: 'number',
  },
  project: { title: 'string', theme: 'object', isArchived: 'boolean' },
  tag: { title: 'string', color: 'string' },
  metric: { mood: 'number|null', productivity: 'number|null', notes: 'string' },
};

/** Names that must never become property names of objects the app builds. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_VALUE_CHARS = 100_000;
const POSITION_KEY = /^[0-9a-z]{1,200}$/;

/** Returns what is wrong with a register key and value, or null when they are sound. */
export function checkRegister(type: EntityType, key: string, value: Json): string | null {
  if (key === DELETED_KEY) return typeof value === 'boolean' ? null : `${key} must be true or false`;
  const slash = key.indexOf('/');
  const field = slash > 0 ? key.slice(0, slash) : key;
  const element = slash > 0 ? key.slice(slash + 1) : null;
  if (FORBIDDEN.has(field) || (element !== null && FORBIDDEN.has(element))) return `'${key}' is not an allowed field name`;
  if (field.startsWith('_')) return `'${field}' is not a field of a ${type}`;
  const kind: FieldKind = fieldKind(type, field);
  if (element !== null && kind !== 'scalar') {
    if (element.length === 0) return `${field} has an empty element id`;
    if (kind === 'id-set') return value === true ? null : `${key} must be true`;
    if (kind === 'ordered-ids') return typeof value === 'string' && POSITION_KEY.test(value) ? null : `${key} must be a position key`;
    return value === null || (typeof value === 'number' && Number.isFinite(value)) ? null : `${key} must be a number`;
  }
  if (kind !== 'scalar') return `${field} must be stored element by element`;
  const rule = RULES[type][field];
  if (rule && !matches(rule, value)) return `${type} field ${field} must be ${rule.replace('|', ' or ')}, not ${describe(value)}`;
  if (!nestedAtMost(value, MAX_NESTING)) return `${type} field ${field} is nested deeper than ${MAX_NESTING} levels`;
  if (JSON.stringify(value).length > MAX_VALUE_CHARS) return `${type} field ${field} is larger than ${MAX_VALUE_CHARS} characters`;
  if (hasForbiddenKey(value)) return `${type} field ${field} holds a forbidden property name`;
  return null;
}

function matches(rule: Rule, value: Json): boolean {
  // A missing field travels as null; the app fills its default.
  if (value === null) return true;
  switch (rule) {
    case 'string':
      return typeof value === 'string';
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'number|null':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the text ${JSON.stringify(value.slice(0, 30))}` : `${typeof value} ${JSON.stringify(value).slice(0, 30)}`;
}

/** No field of ours nests this deep; checked without recursion, so no depth can overflow the stack. */
const MAX_NESTING = 32;

function nestedAtMost(value: Json, limit: number): boolean {
  const stack: Array<[Json, number]> = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return false;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child as Json, depth + 1]);
  }
  return true;
}

function hasForbiddenKey(value: Json): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  return Object.keys(value).some((key) => FORBIDDEN.has(key) || hasForbiddenKey(value[key] as Json));
}
