import { CausalContextData } from '../crdt/causal-context';
import { SyncError } from '../sync-error';
import { DotRanges, FORMAT_VERSION } from './remote-format';

/** Validation: everything read from a remote is checked before it touches the state. */
export class Invalid extends Error {}

export function fail(what: string): never {
  throw new Invalid(what);
}

export function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`);
  return value as Record<string, unknown>;
}

export function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) fail(`${what} must be a list`);
  return value;
}

export function string(value: unknown, what: string, max = 1024): string {
  if (typeof value !== 'string' || value.length > max) fail(`${what} must be a string of at most ${max} characters`);
  return value;
}

export function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${what} must be a whole number`);
  return value;
}

const SAFE_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const FILE_NAME = /^(deltas|snapshots)\/[A-Za-z0-9._-]{1,160}$/;

export function replicaId(value: unknown, what: string): string {
  const id = string(value, what, 128);
  if (!SAFE_NAME.test(id)) fail(`${what} has characters a device id cannot have`);
  return id;
}

export function fileName(value: unknown, what: string): string {
  const name = string(value, what, 200);
  if (!FILE_NAME.test(name)) fail(`${what} '${name.slice(0, 60)}' is not a delta or snapshot file name`);
  return name;
}

export function context(value: unknown, what: string): CausalContextData {
  const data = object(value, what);
  const vv: Record<string, number> = {};
  for (const [replica, counter] of Object.entries(object(data['vv'], `${what}.vv`))) vv[replicaId(replica, `${what} replica`)] = dotCounter(counter, `${what}.vv`);
  if (data['cloud'] === undefined) return { vv };
  const cloud: Record<string, number[]> = {};
  for (const [replica, counters] of Object.entries(object(data['cloud'], `${what}.cloud`))) {
    cloud[replicaId(replica, `${what} replica`)] = array(counters, `${what}.cloud`).map((n) => dotCounter(n, `${what}.cloud`));
  }
  return { vv, cloud };
}

/** No device writes this many values: a counter beyond it comes from a broken or hostile file. */
export const MAX_DOT_COUNTER = 2 ** 40;

export function dotCounter(value: unknown, what: string): number {
  const n = count(value, what);
  if (n > MAX_DOT_COUNTER) fail(`${what} counts beyond ${MAX_DOT_COUNTER} writes`);
  return n;
}
const MAX_RANGES_SPAN = 10_000_000;

export function ranges(value: unknown, what: string): DotRanges {
  let span = 0;
  return array(value, what).map((range) => {
    const [from, to] = array(range, what);
    const f = count(from, what);
    const t = count(to, what);
    if (f < 1 || t < f) fail(`${what} has an empty range`);
    if (t > MAX_DOT_COUNTER) fail(`${what} counts beyond ${MAX_DOT_COUNTER} writes`);
    span += t - f + 1;
    if (span > MAX_RANGES_SPAN) fail(`${what} claims more writes than any commit holds`);
    return [f, t] as [number, number];
  });
}

export function checkFormat(data: Record<string, unknown>, format: string, label: string): void {
  if (data['format'] !== format) fail(`${label} is not a ${format} file`);
  const version = data['formatVersion'];
  if (typeof version !== 'number') fail(`${label} has no format version`);
  if (version > FORMAT_VERSION) {
    throw new SyncError(
      'format-too-new',
      `The sync folder was written by a newer version of this app (format ${version}; this app knows ${FORMAT_VERSION}). Update the app on this device; the remote data is left untouched.`,
    );
  }
}

export function wrap<T>(label: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Invalid) {
      throw new SyncError('invalid-remote-data', `${label} on the server is damaged or not ours: ${error.message}. Nothing was applied.`, { path: label });
    }
    // Nesting deeper than the stack allows, or a span too large to hold: damaged data, not a crash.
    if (error instanceof RangeError) {
      throw new SyncError('invalid-remote-data', `${label} on the server is damaged or not ours: ${error.message}. Nothing was applied.`, { path: label, cause: error });
    }
    throw error;
  }
}
