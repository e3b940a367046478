import { provideRouter } from '@angular/router';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import type { ConflictInfo, DeviceSeen, EntityCounts } from '../engine/sync-engine';
import type { RoundSummary } from '../store/sync.actions';
import { ConnectionView, connectionView, ProviderSettings } from '../store/provider-settings';
import { initialSyncState, SyncState } from '../store/sync.reducer';

/** Test-only helpers for the sync UI specs: a MockStore holding a sync state, and its parts. */

export const NOW = Date.now();

/** A sync state; `settings` may be given as stored settings, which the state holds as their ConnectionView. */
export type SyncOverrides = Partial<Omit<SyncState, 'settings'>> & { settings?: ProviderSettings | ConnectionView | null };

export function syncState({ settings, ...overrides }: SyncOverrides = {}): { sync: SyncState } {
  const view = settings && !('encrypted' in settings) ? connectionView(settings) : (settings ?? null);
  return { sync: { ...initialSyncState, ...overrides, settings: view } };
}

export function provideSyncStore(overrides: SyncOverrides = {}) {
  return [provideMockStore({ initialState: syncState(overrides) }), provideRouter([])];
}

export function setSync(store: MockStore, overrides: SyncOverrides): void {
  store.setState(syncState(overrides));
}

export function counts(partial: Partial<EntityCounts> = {}): EntityCounts {
  return { task: 0, project: 0, tag: 0, metric: 0, ...partial };
}

export function aRound(received: Partial<EntityCounts>, sent: Partial<EntityCounts> = {}, at = NOW): RoundSummary {
  return { status: 'synced', received: counts(received), sent: counts(sent), newConflicts: 0, requests: 3, bytesSent: 100, bytesReceived: 200, at };
}

export function aDevice(replica: string, name: string, isThisDevice = false, lastSyncAt = NOW): DeviceSeen {
  return { replica, name, isThisDevice, lastSyncAt };
}

export function aConflict(overrides: Partial<ConflictInfo> = {}): ConflictInfo {
  return {
    type: 'task',
    id: 't1',
    title: 'Write the report',
    field: 'title',
    shown: { value: 'Write the report', device: 'replica-a', at: NOW - 60_000, stamp: 'stamp-a' },
    others: [{ value: 'Write the summary', device: 'replica-b', at: NOW - 120_000, stamp: 'stamp-b' }],
    ...overrides,
  };
}

export function byTestId<T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T | null {
  return root.querySelector<T>(`[data-testid="${id}"]`);
}

export function allByTestId(root: ParentNode, id: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
}

export function text(el: Element | null): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
