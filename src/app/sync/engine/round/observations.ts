import { RootMeta } from '../remote/remote-format';

/**
 * What this device has observed of the remote, on its own clock, kept in memory only: a restart
 * forgets it and so reads (and waits) afresh. No clock of another device is compared with these.
 */
export interface RootCheck {
  readonly wall: number;
  readonly mono: number;
}

export class Observations {
  /**
   * When this device last adopted a root, on its wall clock and on its monotonic clock; null after
   * a failed round, so the next one reads first. Both are kept because either can mislead: a wall
   * clock can be set back, and a monotonic clock may stand still while a laptop sleeps.
   */
  rootCheckedAt: RootCheck | null = null;
  /** A 404 of meta.json was answered once already with a snapshot in the folder (read-root.ts): the next one is believed. */
  rootMissingOnce = false;
  /** Grave files of the adopted root, with when this device first saw each listed (own clock). */
  private readonly graveSeen = new Map<string, number>();
  /** The last listing of deltas/ for unnamed commits (own clock), and whether it left work. */
  lastUnnamedScan: number;
  unnamedPending = false;
  /** Unnamed files already dealt with (unreadable, or in a graveyard this device wrote). */
  readonly settledUnnamed = new Set<string>();
  /** Unnamed files whose writes the root knows: the next commit puts them in the graveyard. */
  readonly unnamedGarbage = new Set<string>();
  /** Files the root names that the server does not have: skipped, and healed by a snapshot. */
  readonly lostFiles = new Set<string>();
  /**
   * Delta files the root names that this engine refuses (a wrong type, a bad stamp, written by
   * other software): never merged, skipped by every round, kept named and never deleted by a
   * compaction (for inspection), and named in every round's result. File -> why, in words.
   */
  readonly refusedFiles = new Map<string, string>();
  /** commitIds of roots this device adopted or wrote, the newest last: one seen again later is a stale copy. */
  private readonly commits = new Set<string>();

  /** Now, on both clocks: when a root was read or written. */
  checkNow(wall: number): RootCheck {
    return { wall, mono: this.monotonic() };
  }

  /** The adopted root was read or written less than `windowMs` ago on both clocks (neither set back). */
  rootCheckedWithin(wall: number, windowMs: number): boolean {
    const checked = this.rootCheckedAt;
    if (!checked) return false;
    const byWall = wall - checked.wall;
    const byMono = this.monotonic() - checked.mono;
    return byWall >= 0 && byWall < windowMs && byMono >= 0 && byMono < windowMs;
  }

  constructor(
    readonly monotonic: () => number,
    private readonly graceMs: number,
    private readonly unnamedScanMs: number,
    /** A state loaded from storage lists deltas/ in its first round: it may be a restored copy whose original left uploads behind. */
    scanFirst: boolean,
  ) {
    // A new replica lists one interval after opening: a short-lived session costs nothing extra.
    this.lastUnnamedScan = scanFirst ? -Infinity : monotonic();
  }

  /** For an adopted root: when this device first saw each of its graves, and which lost files it still names. */
  adopted(root: RootMeta | null): void {
    if (root) {
      this.commits.delete(root.commitId);
      this.commits.add(root.commitId);
      if (this.commits.size > 256) this.commits.delete(this.commits.values().next().value!);
    }
    for (const file of this.lostFiles) if (!root?.deltas.some((delta) => delta.file === file) && root?.snapshot?.file !== file) this.lostFiles.delete(file);
    const listed = new Set((root?.graveyard ?? []).map((entry) => entry.file));
    for (const file of this.graveSeen.keys()) if (!listed.has(file)) this.graveSeen.delete(file);
    const now = this.monotonic();
    for (const file of listed) if (!this.graveSeen.has(file)) this.graveSeen.set(file, now);
  }

  /** A root this device adopted before and has since moved on from: what a stale cache or proxy answers with. */
  isOlderRoot(root: RootMeta, current: RootMeta | null): boolean {
    // A root with a higher seq than ours is news, even if we saw it once (we may have been handed
    // a stale copy in between): only an older or equal seq with a commitId we moved on from is stale.
    return current !== null && root.seq <= current.seq && root.commitId !== current.commitId && this.commits.has(root.commitId);
  }

  /** A grave is deleted once this device has seen it listed for a whole grace period on its own clock. */
  graveRipe(file: string): boolean {
    const since = this.graveSeen.get(file);
    return since !== undefined && this.monotonic() - since >= this.graceMs;
  }

  noteUnnamedScan(): void {
    this.lastUnnamedScan = this.monotonic();
  }

  unnamedScanDue(): boolean {
    return this.unnamedPending || this.monotonic() - this.lastUnnamedScan >= this.unnamedScanMs;
  }
}
