import { legacyDelta } from '../remote/legacy-import';
import { decodeRemoteJson } from '../remote/codec';
import { isEncrypted } from '../remote/encryption';
import { MeteredStore } from '../remote/metered-store';
import { LEGACY_PATH } from '../remote/remote-format';
import { ParsedDelta } from '../remote/parse-files';
import { SyncError, isSyncError } from '../sync-error';
import { RetryRound } from './retry';

const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** A remote file as JSON; anything unreadable becomes an error that says so and applies nothing. */
export async function decode(bytes: Uint8Array, path: string): Promise<unknown> {
  try {
    return await decodeRemoteJson(bytes, path, isEncrypted);
  } catch (error) {
    if (isSyncError(error)) throw error;
    throw new SyncError('invalid-remote-data', `${path} on the server is not readable (truncated or garbled). Nothing was applied; the next sync tries again once it is sound.`, { path, cause: error });
  }
}

/** A file the root names; one that is gone means a compaction raced us: read the root again. */
export async function readFile(meter: MeteredStore, path: string): Promise<unknown> {
  const read = await meter.read(path);
  if (read.status !== 'ok') throw new RetryRound(`${path} is gone`);
  if (read.data.byteLength > MAX_FILE_BYTES) throw new SyncError('invalid-remote-data', `${path} on the server is larger than any sync file can be. Nothing was applied.`, { path });
  return decode(read.data, path);
}

/** The old whole-file main.json, as one delta to merge (a folder from before delta sync). */
export async function readLegacy(meter: MeteredStore): Promise<ParsedDelta | null> {
  const read = await meter.read(LEGACY_PATH);
  if (read.status !== 'ok') return null;
  return legacyDelta(await decode(read.data, LEGACY_PATH));
}

/** Whether the remote still holds delta or snapshot files (a listing: only when meta.json is missing). */
export async function folderHoldsSyncFiles(meter: MeteredStore, folders: readonly string[] = ['deltas', 'snapshots']): Promise<boolean> {
  for (const folder of folders) if ((await meter.list(folder)).length > 0) return true;
  return false;
}
