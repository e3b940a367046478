import { jsonBytes, parseJsonBytes } from '../remote/codec';
import { isEncrypted } from '../remote/encryption';
import { MeteredStore } from '../remote/metered-store';
import { LOCK_PATH } from '../remote/remote-format';
import { SyncError } from '../sync-error';
import { newId } from './ids';
import { RetryRound } from './retry';

interface LockFile {
  readonly owner: string;
  readonly name: string;
  readonly nonce: string;
  readonly expiresAt: number;
}

/**
 * Lock mode (SYNC.md §6): a short-lived lock file, written and read back.
 *
 * No clock is compared across devices: another device's lock counts as abandoned only once this
 * device has seen that very lock, unchanged, for a whole lease on its own clock (its first look
 * comes after the lock was written, so it never steals a lease early, whatever the clocks say).
 * The holder writes the root only while less than half of its lease has passed on its own clock,
 * and only after reading the lock back as still its own. `expiresAt` is still written for older
 * versions, and never read.
 */
export class RemoteLock {
  /** Another device's lock as this device first saw it, on this device's own clock. */
  private seen: { readonly token: string; readonly since: number } | null = null;
  /** When this device wrote the lock it holds, on its own clock. */
  private takenAt = 0;

  constructor(
    private readonly me: () => { readonly replica: string; readonly deviceName: string },
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly monotonic: () => number,
    private readonly random: () => number,
  ) {}

  /** Take the lock, or say who holds it; returns the nonce that proves it is ours. */
  async acquire(meter: MeteredStore): Promise<string> {
    const { replica, deviceName } = this.me();
    const current = await meter.read(LOCK_PATH);
    if (current.status === 'ok') {
      const lock = parseLock(current.data);
      if (lock && lock.owner !== replica && !this.abandoned(lock)) {
        throw new SyncError('remote-busy', `Another device (${lock.name || lock.owner}) is syncing right now; this device tries again shortly.`);
      }
    } else {
      this.seen = null;
    }
    const nonce = newId(this.random, 12);
    const takenAt = this.monotonic();
    await meter.write(LOCK_PATH, jsonBytes({ owner: replica, name: deviceName, nonce, expiresAt: this.now() + this.ttlMs }));
    const back = await meter.read(LOCK_PATH);
    const lock = back.status === 'ok' ? parseLock(back.data) : null;
    if (!lock || lock.nonce !== nonce) throw new SyncError('remote-busy', 'Another device took the sync lock at the same moment; this device tries again shortly.');
    this.takenAt = takenAt;
    this.seen = null;
    return nonce;
  }

  /** Before the root is written: the lease is young enough and the lock on the server is still ours. */
  async assertHeld(meter: MeteredStore, nonce: string | null): Promise<void> {
    if (nonce === null || this.monotonic() - this.takenAt >= this.ttlMs / 2) throw new RetryRound('the lock ran out during the round', true);
    const current = await meter.read(LOCK_PATH);
    if (current.status !== 'ok' || parseLock(current.data)?.nonce !== nonce) throw new RetryRound('another device took the lock', true);
  }

  async release(meter: MeteredStore, nonce: string): Promise<void> {
    const current = await meter.read(LOCK_PATH);
    if (current.status === 'ok' && parseLock(current.data)?.nonce === nonce) await meter.delete(LOCK_PATH);
  }

  private abandoned(lock: LockFile): boolean {
    const token = `${lock.owner}|${lock.nonce}|${lock.expiresAt}`;
    const now = this.monotonic();
    if (this.seen?.token !== token) {
      this.seen = { token, since: now };
      return false;
    }
    return now - this.seen.since >= this.ttlMs;
  }
}

function parseLock(bytes: Uint8Array): LockFile | null {
  if (isEncrypted(bytes)) throw new SyncError('encryption', 'This sync folder is end-to-end encrypted. Enter its passphrase in the sync settings to sync this device; nothing was changed.');
  try {
    const raw = parseJsonBytes(bytes) as Record<string, unknown>;
    if (typeof raw?.['owner'] !== 'string' || typeof raw['nonce'] !== 'string' || typeof raw['expiresAt'] !== 'number') return null;
    return { owner: raw['owner'], name: typeof raw['name'] === 'string' ? raw['name'] : '', nonce: raw['nonce'], expiresAt: raw['expiresAt'] };
  } catch {
    return null;
  }
}
