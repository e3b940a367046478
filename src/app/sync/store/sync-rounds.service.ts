import { inject, Injectable } from '@angular/core';
import { Store } from '@ngrx/store';
import { CLOCK } from '../../domain/clock';
import { EntityType } from '../../domain/domain-data.model';
import { SyncOptions } from '../engine/sync-engine';
import { isSyncError, SyncError } from '../engine/sync-error';
import { errorInfo } from './error-info';
import { LocalWriter } from './local-writer';
import { SyncConnection } from './sync-connection.service';
import { SyncEngineHost } from './sync-engine-host.service';
import { SyncApiActions } from './sync.actions';

export type RoundOutcome = 'synced' | 'needs-confirmation' | 'failed' | 'skipped';

/**
 * Runs sync rounds in the tab that leads, one at a time (only the leader has an engine, so tabs
 * never sync side by side), reports them as actions, and hands what they brought to LocalWriter.
 * Conflict resolutions and the dry run go through here too: each is an engine step with an outcome.
 */
@Injectable({ providedIn: 'root' })
export class SyncRounds {
  private readonly store = inject(Store);
  private readonly host = inject(SyncEngineHost);
  private readonly writer = inject(LocalWriter);
  private readonly connection = inject(SyncConnection);
  private readonly clock = inject(CLOCK);
  private running: Promise<RoundOutcome> | null = null;
  /** The round asked for while one runs: one for every request meanwhile, run right after. */
  private next: { options: SyncOptions; outcome: Promise<RoundOutcome>; start: (outcome: Promise<RoundOutcome>) => void } | null = null;

  get isConfigured(): boolean {
    return this.connection.isConfigured;
  }

  /**
   * Run a round now, or right after the one running (rounds never overlap). The outcome is of a
   * round that began after the request, so it covers what was there when it was made.
   */
  requestSync(reason: string, options: SyncOptions = {}): Promise<RoundOutcome> {
    if (this.running) {
      if (!this.next) {
        let start!: (outcome: Promise<RoundOutcome>) => void;
        const outcome = new Promise<RoundOutcome>((resolve) => (start = resolve));
        this.next = { options: {}, outcome, start };
      }
      this.next.options = { ...this.next.options, ...options };
      return this.next.outcome;
    }
    this.running = this.round(reason, options).finally(() => {
      this.running = null;
      const next = this.next;
      this.next = null;
      if (next) next.start(this.requestSync('changes during the last sync', next.options));
    });
    return this.running;
  }

  async resolveConflict(type: EntityType, id: string, field: string, stamp: string): Promise<void> {
    const engine = this.host.engine;
    if (!engine) return;
    this.writer.applyEngineChanges(await engine.resolveConflict(type, id, field, stamp));
    this.store.dispatch(SyncApiActions.conflictsChanged({ conflicts: engine.conflicts() }));
    void this.requestSync('conflict resolved');
  }

  async dismissAllConflicts(): Promise<void> {
    const engine = this.host.engine;
    if (!engine) return;
    for (const conflict of engine.conflicts()) this.writer.applyEngineChanges(await engine.resolveConflict(conflict.type, conflict.id, conflict.field, conflict.shown.stamp));
    this.store.dispatch(SyncApiActions.conflictsChanged({ conflicts: engine.conflicts() }));
    void this.requestSync('conflicts dismissed');
  }

  async preview(): Promise<void> {
    const engine = this.host.engine;
    if (!engine || !this.connection.isConfigured) return;
    try {
      this.store.dispatch(SyncApiActions.previewReady({ preview: await engine.dryRun() }));
    } catch (error) {
      this.store.dispatch(SyncApiActions.previewFailed({ error: errorInfo(error, this.clock()) }));
    }
  }

  private async round(reason: string, options: SyncOptions): Promise<RoundOutcome> {
    const engine = this.host.engine;
    if (!engine || !this.connection.isConfigured) return 'skipped';
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.store.dispatch(SyncApiActions.wentOffline());
      return 'skipped';
    }
    this.store.dispatch(SyncApiActions.roundStarted({ reason }));
    try {
      // A round commits what the engine holds; what the database has not stored must not be
      // committed (the commit's bookkeeping would call it synced, and a reload would lack it).
      await this.writer.whenIdle();
      if (this.writer.failing) throw new SyncError('storage-full', 'This browser could not store your latest changes, so they are not synced yet. Free some space; the app keeps trying.');
      // From here to its end the round talks to the remote connected now, whatever is connected meanwhile.
      const connected = this.connection.beginRound();
      let result;
      try {
        // The commit mode is the connected remote's (probed once per connection), never a former remote's.
        engine.configure({ remote: connected.remoteKey, mode: await connected.mode() });
        // Encryption changed: every file is written again in the new form and the old ones go, in
        // the first round that gets through (the need is stored, so a failed or skipped round does not drop it).
        const rewrite = options.rewrite === true || connected.rewritePending;
        result = await engine.sync({ ...options, rewrite });
        if (rewrite) await connected.rewritten();
      } finally {
        connected.end();
      }
      this.writer.applyEngineChanges(result.changes);
      if (result.status === 'needs-confirmation' && result.massDelete) {
        this.store.dispatch(SyncApiActions.roundNeedsConfirmation(result.massDelete));
        return 'needs-confirmation';
      }
      this.store.dispatch(
        SyncApiActions.roundSucceeded({
          summary: {
            status: result.status,
            received: result.received,
            sent: result.sent,
            newConflicts: result.newConflicts,
            requests: result.requests,
            bytesSent: result.bytesSent,
            bytesReceived: result.bytesReceived,
            at: this.clock(),
            ...(result.refused.length ? { refused: result.refused } : {}),
          },
          conflicts: engine.conflicts(),
          devices: engine.devices(),
        }),
      );
      return 'synced';
    } catch (error) {
      // What the round merged before it failed is the engine's view already: the app shows it too.
      if (isSyncError(error) && error.adopted) this.writer.applyEngineChanges(error.adopted);
      if (!isSyncError(error)) console.error('Sync failed unexpectedly', error);
      const info = errorInfo(error, this.clock());
      if (info.code === 'offline' && typeof navigator !== 'undefined' && navigator.onLine === false) this.store.dispatch(SyncApiActions.wentOffline());
      else this.store.dispatch(SyncApiActions.roundFailed({ error: info, retryInMs: isSyncError(error) && error.isTransient ? (error.details.retryAfterMs ?? null) : null }));
      return 'failed';
    }
  }
}
