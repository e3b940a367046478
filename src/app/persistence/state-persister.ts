import { DestroyRef, inject, Injectable } from '@angular/core';
import { Store } from '@ngrx/store';
import { Subscription } from 'rxjs';
import { CLOCK } from '../domain/clock';
import { DomainState } from '../domain/domain-state';
import { selectDomainState } from '../domain/domain.selectors';
import { diffEntities, isEmptyDiff } from '../domain/entity-diff';
import { LocalDatabase } from './local-database';
import { PersistenceStatusActions } from './persistence.actions';
import { PERSIST_COMPANION, PERSIST_DEBOUNCE_MS } from './persistence.tokens';

function describeError(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const message = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  if (name === 'QuotaExceededError') return 'The browser refused to store more data (storage quota exceeded). Free some space or export your data.';
  return `Saving to the browser's database failed${name ? ` (${name})` : ''}: ${message}`;
}

/**
 * Writes what changed in the store to IndexedDB: after a burst of actions, the entities that differ
 * by reference from the last written state go out in one transaction. A failed write is reported
 * and retried with the next change (the last written state only moves on success).
 */
@Injectable({ providedIn: 'root' })
export class StatePersister {
  private readonly store = inject(Store);
  private readonly db = inject(LocalDatabase);
  private readonly clock = inject(CLOCK);
  private readonly debounceMs = inject(PERSIST_DEBOUNCE_MS);
  private readonly companion = inject(PERSIST_COMPANION, { optional: true });

  private written: DomainState | null = null;
  private latest: DomainState | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private subscription: Subscription | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Starts watching the store; `baseline` is what the database already holds. */
  start(baseline: DomainState): void {
    this.stop();
    this.written = baseline;
    this.latest = baseline;
    this.subscription = this.store.select(selectDomainState).subscribe((state) => {
      if (state === this.latest) return;
      this.latest = state;
      this.schedule();
    });
    addEventListener('pagehide', this.flushNow);
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    removeEventListener('pagehide', this.flushNow);
  }

  /** Resolves once everything dispatched so far has been written (or has failed). */
  whenIdle(): Promise<void> {
    if (this.timer !== null) this.flushNow();
    return this.chain;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.store.dispatch(PersistenceStatusActions.writePending());
    this.timer = setTimeout(this.flushNow, this.debounceMs);
  }

  private readonly flushNow = (): void => {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.chain = this.chain.then(() => this.flush());
  };

  private async flush(): Promise<void> {
    const from = this.written;
    const to = this.latest;
    if (!from || !to || from === to) return;
    const diff = diffEntities(from, to);
    if (isEmptyDiff(diff)) {
      this.written = to;
      if (this.latest === to) this.store.dispatch(PersistenceStatusActions.writeSucceeded({ at: this.clock() }));
      return;
    }
    try {
      await this.db.write(diff, this.companion?.(diff, from) ?? null);
      this.written = to;
      // Only "saved" when nothing newer is waiting: tests and people may trust it before a reload.
      if (this.latest === to) this.store.dispatch(PersistenceStatusActions.writeSucceeded({ at: this.clock() }));
    } catch (error) {
      console.error('IndexedDB write failed', error);
      this.store.dispatch(PersistenceStatusActions.writeFailed({ message: describeError(error) }));
    }
  }
}
