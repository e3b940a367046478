import { LEGACY_PATH, LOCK_PATH, META_PATH } from './remote-format';

/**
 * A remote file as a person reads it in a message: what it is for, not its name. The raw path
 * stays in the error's details; a damaged change file or snapshot is also named by its path,
 * since that is what someone inspecting the folder looks for.
 */
export function describeRemoteFile(path: string): string {
  if (path === META_PATH) return 'the sync index';
  if (path === LOCK_PATH) return 'the sync lock';
  if (path === LEGACY_PATH) return 'the old single-file sync data';
  if (path.startsWith('deltas/')) return `a change file (${path})`;
  if (path.startsWith('snapshots/')) return `the snapshot (${path})`;
  if (/(^|\/)probe[^/]*$/.test(path)) return 'a test file';
  return path;
}
