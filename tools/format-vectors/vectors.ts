/**
 * Reading a format vector (docs/format-vectors/<name>/): its `remote/` folder loaded into an
 * in-memory server, a fresh device that syncs it, and what that device shows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENTITY_TYPES } from '../../src/app/sync/engine/crdt/schema';
import { EncryptingStore } from '../../src/app/sync/engine/remote/encryption';
import { MemoryRemote } from '../../src/app/sync/engine/remote/memory-remote';
import { CommitMode } from '../../src/app/sync/engine/remote/remote-store';
import { MemoryPersistence } from '../../src/app/sync/engine/replica/memory-persistence';
import { SyncEngine } from '../../src/app/sync/engine/sync-engine';
import { ConflictInfo } from '../../src/app/sync/engine/types';

/** When the reader syncs a vector (its clock): later than every write in the vectors. */
export const READ_AT = 1_800_000_000_000;

export const VECTORS_DIR = join(__dirname, '..', '..', 'docs', 'format-vectors');

export interface VectorView {
  /** Per entity type, the entities a reader shows, sorted by id. */
  readonly entities: Record<string, unknown[]>;
  /** The open conflicts a reader shows, sorted by (type, id, field). */
  readonly conflicts: ConflictInfo[];
}

export interface VectorExpectation extends VectorView {
  readonly about: string;
  readonly mode: CommitMode;
}

export function vectorNames(): string[] {
  return readdirSync(VECTORS_DIR).filter((name) => statSync(join(VECTORS_DIR, name)).isDirectory()).sort();
}

export function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** A fresh device syncs the vector's folder (a copy: the vector is never written) and shows this. */
export async function readVectorView(dir: string, options: { mode: CommitMode; passphrase?: string; now?: number }): Promise<VectorView> {
  const now = options.now ?? READ_AT;
  const remote = new MemoryRemote({ now: () => now });
  const root = join(dir, 'remote');
  for (const path of files(root)) await remote.write(relative(root, path).split('\\').join('/'), new Uint8Array(readFileSync(path)));
  const engine = await SyncEngine.open({
    store: options.passphrase ? new EncryptingStore(remote, options.passphrase) : remote,
    persistence: new MemoryPersistence(),
    deviceName: 'Reader',
    replicaId: 'replica-reader',
    mode: options.mode,
    now: () => now,
    monotonic: () => now,
    sleep: async () => undefined,
  });
  const result = await engine.sync({ confirmMassDelete: true });
  if (result.status !== 'synced' && result.status !== 'up-to-date') throw new Error(`the reader's round ended ${result.status}: ${JSON.stringify(result)}`);
  // A vector is made of files the format allows: a reader that refuses one fails the vector.
  if (result.refused.length) throw new Error(`the reader refused files of the vector: ${JSON.stringify(result.refused)}`);
  const entities = Object.fromEntries(ENTITY_TYPES.map((type) => [type, [...engine.entities(type)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))]));
  const conflicts = [...engine.conflicts()].sort((a, b) => `${a.type}/${a.id}/${a.field}`.localeCompare(`${b.type}/${b.id}/${b.field}`));
  return { entities, conflicts };
}

/** JSON with two-space indents; an array that holds no object stays on one line while it is short (values, dot ranges). */
export function prettyJson(value: unknown, indent = ''): string {
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    const oneLine = JSON.stringify(value).replace(/,(?=\S)/g, ', ');
    if (!containsObject(value) && (oneLine.length + indent.length <= 110 || !value.some(Array.isArray))) return oneLine;
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + prettyJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${prettyJson(item, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function containsObject(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsObject);
  return value !== null && typeof value === 'object';
}
