/**
 * An attempt that cannot finish on what it read: the root changed under it, a file it names is
 * gone, or it needs the lock. The round catches it, forgets the root it read, and starts over with
 * a fresh read; nothing this attempt computed has been adopted.
 */
export class RetryRound extends Error {
  constructor(
    readonly why: string,
    readonly needLock = false,
    /** A file the root named that the server did not have, and which root (by commitId) named it. */
    readonly missing?: { readonly file: string; readonly commitId: string },
  ) {
    super(why);
  }
}
