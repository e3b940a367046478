import { DomainData, EntityType } from '../domain-data.model';
import { Metric } from '../metric/metric.model';
import { Project } from '../project/project.model';
import { repairRelations } from '../relations/repair-relations';
import { adoptTagListings } from './tag-listings';
import { CreationStamp, ensureSyncMetadata } from '../sync-metadata.model';
import { Tag } from '../tag/tag.model';
import { Task } from '../task/task.model';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION } from './backup-format';
import { DAY_PATTERN, EntityReader, FORBIDDEN_KEYS, isPlainObject, Raw } from './entity-reader';

export type BackupSource = 'super-sync' | 'super-productivity';

export type ImportResult =
  | { ok: true; source: BackupSource; data: DomainData; warnings: string[] }
  | { ok: false; errors: string[] };

const MAX_MESSAGES = 50;
const DEFAULT_PROJECT_COLOR = '#607d8b';
const DEFAULT_TAG_COLOR = '#ffa726';

function limited(messages: string[]): string[] {
  if (messages.length <= MAX_MESSAGES) return messages;
  return [...messages.slice(0, MAX_MESSAGES), `... and ${messages.length - MAX_MESSAGES} more problems`];
}

/** Raw entities with their ids, from either a list (our format) or an {ids, entities} map (SP). */
interface RawEntity {
  id: string;
  raw: Raw;
}

function readList(type: EntityType, value: unknown, required: boolean, errors: string[]): RawEntity[] {
  if (value === undefined || value === null) {
    if (required) errors.push(`data.${type} is missing`);
    return [];
  }
  if (!Array.isArray(value)) {
    errors.push(`data.${type} must be a list`);
    return [];
  }
  const out: RawEntity[] = [];
  value.forEach((raw, index) => {
    if (!isPlainObject(raw)) {
      errors.push(`data.${type}[${index}] must be an object`);
    } else if (typeof raw['id'] !== 'string' || raw['id'] === '') {
      errors.push(`data.${type}[${index}]: id must be a non-empty string`);
    } else {
      out.push({ id: raw['id'], raw });
    }
  });
  return out;
}

function readEntityMap(type: EntityType, value: unknown, required: boolean, errors: string[], warnings: string[]): RawEntity[] {
  if (value === undefined || value === null) {
    if (required) errors.push(`data.${type} is missing`);
    return [];
  }
  if (!isPlainObject(value) || !isPlainObject(value['entities'])) {
    errors.push(`data.${type} must be an object with an 'entities' map`);
    return [];
  }
  const entities = value['entities'];
  const keys = Object.keys(entities);
  const ids = value['ids'];
  let order = keys;
  if (Array.isArray(ids) && ids.every((x) => typeof x === 'string')) {
    const known = new Set(keys);
    const listed = (ids as string[]).filter((id) => known.has(id));
    const missing = (ids as string[]).filter((id) => !known.has(id));
    if (missing.length) warnings.push(`${type}: ${missing.length} listed id(s) have no entity and were skipped (${missing.slice(0, 3).map((m) => `'${m}'`).join(', ')})`);
    const listedSet = new Set(listed);
    order = [...listed, ...keys.filter((k) => !listedSet.has(k))];
  }
  const out: RawEntity[] = [];
  for (const key of order) {
    const raw = entities[key];
    if (!isPlainObject(raw)) {
      errors.push(`${type} '${key}' must be an object`);
      continue;
    }
    if (raw['id'] !== key) {
      errors.push(`${type} '${key}': id must equal its key in the entities map`);
      continue;
    }
    out.push({ id: key, raw });
  }
  return out;
}

/** The longest id the sync carries (the engine's MAX_ENTITY_ID): a longer one would stay on this device. */
export const MAX_ID_LENGTH = 256;

function checkIds(type: EntityType, list: RawEntity[], errors: string[]): RawEntity[] {
  const seen = new Set<string>();
  return list.filter(({ id }) => {
    if (FORBIDDEN_KEYS.has(id)) {
      errors.push(`${type} '${id}': this id is not allowed`);
      return false;
    }
    if (id.length > MAX_ID_LENGTH) {
      errors.push(`${type} '${id.slice(0, 40)}…': the id is longer than ${MAX_ID_LENGTH} characters, which no device could sync`);
      return false;
    }
    if (seen.has(id)) {
      errors.push(`${type} '${id}': appears more than once`);
      return false;
    }
    seen.add(id);
    return true;
  });
}

function toTask({ id, raw }: RawEntity, errors: string[], stamp: CreationStamp): Task {
  const r = new EntityReader(`task '${id}'`, raw, errors);
  const title = r.requiredString('title');
  const isDone = r.boolean('isDone');
  const doneOn = r.nullableNumber('doneOn');
  const task = {
    id,
    title,
    notes: r.string('notes'),
    isDone,
    doneOn: isDone ? doneOn : null,
    projectId: r.nullableId('projectId'),
    parentId: r.nullableId('parentId'),
    subTaskIds: r.idList('subTaskIds'),
    tagIds: r.idList('tagIds'),
    timeEstimate: r.number('timeEstimate'),
    timeSpent: r.number('timeSpent'),
    timeSpentOnDay: r.dayNumberMap('timeSpentOnDay'),
    dueDay: r.nullableDay('dueDay'),
    created: r.number('created', stamp.now),
    ...r.syncMetadata(),
  };
  return ensureSyncMetadata(task, stamp);
}

function themePrimary(raw: Raw): string | null {
  const theme = raw['theme'];
  return isPlainObject(theme) && typeof theme['primary'] === 'string' ? theme['primary'] : null;
}

function toProject({ id, raw }: RawEntity, errors: string[], stamp: CreationStamp): Project {
  const r = new EntityReader(`project '${id}'`, raw, errors);
  if (raw['theme'] !== undefined && raw['theme'] !== null && !isPlainObject(raw['theme'])) {
    errors.push(`project '${id}': theme must be an object`);
  }
  const project = {
    id,
    title: r.requiredString('title'),
    taskIds: r.idList('taskIds'),
    backlogTaskIds: r.idList('backlogTaskIds'),
    theme: { primary: themePrimary(raw) ?? DEFAULT_PROJECT_COLOR },
    isArchived: r.boolean('isArchived'),
    ...r.syncMetadata(),
  };
  return ensureSyncMetadata(project, stamp);
}

function toTag({ id, raw }: RawEntity, errors: string[], stamp: CreationStamp): Tag {
  const r = new EntityReader(`tag '${id}'`, raw, errors);
  const tag = {
    id,
    title: r.requiredString('title'),
    taskIds: r.idList('taskIds'),
    // Super Productivity keeps a tag's colour in theme.primary.
    color: r.string('color', '') || themePrimary(raw) || DEFAULT_TAG_COLOR,
    created: typeof raw['created'] === 'number' ? raw['created'] : undefined,
    ...r.syncMetadata(),
  };
  const { created: _created, ...stamped } = ensureSyncMetadata(tag, stamp);
  return stamped;
}

function toMetric({ id, raw }: RawEntity, errors: string[], stamp: CreationStamp): Metric {
  const r = new EntityReader(`metric '${id}'`, raw, errors);
  if (!DAY_PATTERN.test(id)) errors.push(`metric '${id}': id must be a day as YYYY-MM-DD`);
  // Super Productivity's evaluation has no free-text notes field everywhere; take what exists.
  const notes = r.string('notes', '') || r.string('reflection', '') || r.string('remindTomorrow', '');
  const metric = {
    id,
    mood: r.nullableNumber('mood'),
    productivity: r.nullableNumber('productivity'),
    notes,
    ...r.syncMetadata(),
  };
  return ensureSyncMetadata(metric, stamp);
}

function build(raws: Record<EntityType, RawEntity[]>, errors: string[], stamp: CreationStamp): DomainData {
  const checked = {
    task: checkIds('task', raws.task, errors),
    project: checkIds('project', raws.project, errors),
    tag: checkIds('tag', raws.tag, errors),
    metric: checkIds('metric', raws.metric, errors),
  };
  return {
    task: checked.task.map((e) => toTask(e, errors, stamp)),
    project: checked.project.map((e) => toProject(e, errors, stamp)),
    tag: checked.tag.map((e) => toTag(e, errors, stamp)),
    metric: checked.metric.map((e) => toMetric(e, errors, stamp)),
  };
}

function isSuperProductivityData(value: unknown): value is Raw {
  return isPlainObject(value) && isPlainObject(value['task']) && isPlainObject(value['project']);
}

/**
 * Reads a file's text as this app's export or a Super Productivity backup. Either everything is
 * valid (references that point nowhere are repaired and listed as warnings) or nothing is
 * returned, only the list of what is wrong.
 */
export function parseBackup(text: string, stamp: CreationStamp): ImportResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`The file is not valid JSON (${(e as Error).message}).`] };
  }
  if (!isPlainObject(parsed)) {
    return { ok: false, errors: ['The file does not hold an object at the top level.'] };
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  let source: BackupSource;
  let data: DomainData;

  if (parsed['format'] === BACKUP_FORMAT) {
    source = 'super-sync';
    const version = parsed['formatVersion'];
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      return { ok: false, errors: ['formatVersion must be a positive whole number.'] };
    }
    if (version > BACKUP_FORMAT_VERSION) {
      return { ok: false, errors: [`This file has format version ${version}; this app reads up to version ${BACKUP_FORMAT_VERSION}. Update the app to import it.`] };
    }
    const d = parsed['data'];
    if (!isPlainObject(d)) return { ok: false, errors: ['data must be an object.'] };
    data = build(
      {
        task: readList('task', d['task'], true, errors),
        project: readList('project', d['project'], true, errors),
        tag: readList('tag', d['tag'], false, errors),
        metric: readList('metric', d['metric'], false, errors),
      },
      errors,
      stamp,
    );
  } else if (isSuperProductivityData(parsed['data']) || isSuperProductivityData(parsed)) {
    source = 'super-productivity';
    const d = (isSuperProductivityData(parsed['data']) ? parsed['data'] : parsed) as Raw;
    data = build(
      {
        task: readEntityMap('task', d['task'], true, errors, warnings),
        project: readEntityMap('project', d['project'], true, errors, warnings),
        tag: readEntityMap('tag', d['tag'], false, errors, warnings),
        metric: readEntityMap('metric', d['metric'], false, errors, warnings),
      },
      errors,
      stamp,
    );
  } else {
    return {
      ok: false,
      errors: [
        `This is neither a Tandem Tasks export (no "format": "${BACKUP_FORMAT}") nor a Super Productivity backup (no data.task and data.project with an 'entities' map).`,
      ],
    };
  }

  if (errors.length) return { ok: false, errors: limited(errors) };
  const listed = adoptTagListings(data);
  const repaired = repairRelations(listed.data);
  return { ok: true, source, data: repaired.data, warnings: limited([...warnings, ...listed.notes, ...repaired.repairs]) };
}
