import { TestBed } from '@angular/core/testing';
import { MockStore } from '@ngrx/store/testing';
import { SyncUiActions } from '../store/sync.actions';
import { SyncState } from '../store/sync.reducer';
import { SyncDialogs } from './sync-dialogs.service';
import { SyncStatusComponent } from './sync-status.component';
import { aConflict, aRound, byTestId, NOW, provideSyncStore, setSync, text } from './sync-ui-testing';
import type { SyncOverrides } from './sync-ui-testing';

const WEBDAV = { provider: 'webdav' as const, url: 'http://127.0.0.1:8081', username: '', password: 'secret-pw', folder: 'tandem-tasks' };

describe('SyncStatusComponent', () => {
  async function render(state: SyncOverrides) {
    TestBed.configureTestingModule({ imports: [SyncStatusComponent], providers: provideSyncStore(state) });
    const store = TestBed.inject(MockStore);
    const dispatch = spyOn(store, 'dispatch').and.callThrough();
    const fixture = TestBed.createComponent(SyncStatusComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const update = async (next: SyncOverrides) => {
      setSync(store, next);
      await fixture.whenStable();
    };
    const openMenu = async () => {
      byTestId(el, 'sync-status-button')!.click();
      await fixture.whenStable();
      return document.querySelector('.sync-menu') as HTMLElement;
    };
    return { fixture, el, store, dispatch, update, openMenu };
  }

  afterEach(() => document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = '')));

  it('says "Sync off" and links to the settings when no provider is set', async () => {
    const { el } = await render({ phase: 'disabled' });
    expect(el.getAttribute('data-state')).toBe('disabled');
    const link = byTestId<HTMLAnchorElement>(el, 'sync-status-button')!;
    expect(text(link)).toContain('Sync off');
    expect(link.getAttribute('href')).toBe('/settings');
  });

  it('shows progress as "n of m" while syncing', async () => {
    const { el, update } = await render({ phase: 'syncing', settings: WEBDAV, progress: null });
    expect(el.getAttribute('data-state')).toBe('syncing');
    expect(text(byTestId(el, 'sync-status-label'))).toBe('Syncing…');
    await update({ phase: 'syncing', settings: WEBDAV, progress: { done: 3, total: 7 } });
    expect(text(byTestId(el, 'sync-status-label'))).toBe('Syncing 3 of 7');
  });

  it('says what the last round moved and when, and announces it politely', async () => {
    const { el, update } = await render({ phase: 'idle', settings: WEBDAV, lastRound: aRound({ task: 1 }, { task: 1, project: 1 }), lastSuccessAt: NOW });
    expect(el.getAttribute('data-state')).toBe('synced');
    expect(el.getAttribute('data-synced-at')).toBe(String(NOW));
    expect(text(byTestId(el, 'sync-status-label'))).toBe('Received 1 item · sent 2 items');
    expect(text(byTestId(el, 'sync-status-when'))).toBe('· just now');
    const live = byTestId(el, 'sync-status-text')!;
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(text(live)).toBe('Received 1 item · sent 2 items');

    await update({ phase: 'idle', settings: WEBDAV, lastRound: aRound({}, {}, NOW - 5 * 60_000), lastSuccessAt: NOW - 5 * 60_000 });
    expect(text(byTestId(el, 'sync-status-label'))).toBe('Up to date');
    expect(text(byTestId(el, 'sync-status-when'))).toBe('· 5 min ago');
  });

  it('shows offline with the time of the last good sync', async () => {
    const { el } = await render({ phase: 'offline', settings: WEBDAV, lastSuccessAt: NOW - 2 * 3600_000 });
    expect(el.getAttribute('data-state')).toBe('offline');
    expect(text(byTestId(el, 'sync-status-label'))).toBe('Offline');
    expect(text(byTestId(el, 'sync-status-when'))).toBe('· last synced 2 h ago');
  });

  it('shows an error in a few words, the full message in the menu, and retries from there', async () => {
    const message = 'The server at http://127.0.0.1:8082 refused the login (401).';
    const { el, dispatch, openMenu } = await render({ phase: 'error', settings: WEBDAV, lastError: { code: 'auth', message, at: NOW } });
    expect(el.getAttribute('data-state')).toBe('error');
    expect(text(byTestId(el, 'sync-status-label'))).toBe('Login refused');
    expect(text(byTestId(el, 'sync-status-text'))).toBe('Sync failed: Login refused');
    const menu = await openMenu();
    expect(text(byTestId(menu, 'sync-error-message'))).toBe(message);
    expect(text(menu)).toContain('Check the user name and password');
    const retry = byTestId(menu, 'sync-now')!;
    expect(text(retry)).toContain('Retry now');
    retry.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.syncNow());
  });

  it('offers "Sync now" and the settings in its menu, and never shows the password', async () => {
    const { el, dispatch, openMenu } = await render({ phase: 'idle', settings: WEBDAV, lastRound: aRound({ task: 2 }), lastSuccessAt: NOW });
    const menu = await openMenu();
    expect(text(menu)).toContain('Received 2 tasks');
    expect(byTestId(menu, 'sync-review-conflicts')).toBeNull();
    expect(byTestId(menu, 'sync-open-settings')!.getAttribute('href')).toBe('/settings');
    byTestId(menu, 'sync-now')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.syncNow());
    expect(el.textContent + menu.textContent!).not.toContain('secret-pw');
  });

  it('names in its menu a file on the server the last round skipped, and says everything else synced', async () => {
    const refused = [{ file: 'deltas/00000003-other-client-abc123.json.gz', why: 'tagIds/tg-1 must be true' }];
    const { openMenu } = await render({ phase: 'idle', settings: WEBDAV, lastRound: { ...aRound({ task: 1 }), refused }, lastSuccessAt: NOW });
    const menu = await openMenu();
    const note = byTestId(menu, 'sync-refused');
    expect(text(note)).toContain('Skipped deltas/00000003-other-client-abc123.json.gz, which this app cannot read (tagIds/tg-1 must be true)');
    expect(text(note)).toContain('Everything else is synced');
  });

  it('notes in its menu that sync goes to the local server of npm start when that is the target', async () => {
    const { openMenu } = await render({ phase: 'idle', settings: { ...WEBDAV, isDefaultTarget: true } });
    const menu = await openMenu();
    expect(text(byTestId(menu, 'sync-menu-target'))).toContain('local WebDAV server started by npm start');
  });

  it('shows a badge with the number of open conflicts that opens the review, also from the menu', async () => {
    const { el, openMenu } = await render({ phase: 'idle', settings: WEBDAV, conflicts: [aConflict(), aConflict({ id: 't2' })] });
    const dialogs = TestBed.inject(SyncDialogs);
    const open = spyOn(dialogs, 'openConflicts');
    expect(el.getAttribute('data-conflicts')).toBe('2');
    const badge = byTestId(el, 'sync-conflicts-badge')!;
    expect(text(badge)).toBe('2');
    expect(badge.getAttribute('aria-label')).toBe('2 open conflicts: review');
    expect(text(byTestId(el, 'sync-status-text'))).toContain('2 open conflicts');
    badge.click();
    expect(open).toHaveBeenCalledTimes(1);
    const menu = await openMenu();
    const review = byTestId(menu, 'sync-review-conflicts')!;
    expect(text(review)).toContain('Review conflicts (2)');
    review.click();
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('hides the badge when there are no conflicts', async () => {
    const { el } = await render({ phase: 'idle', settings: WEBDAV });
    expect(byTestId(el, 'sync-conflicts-badge')).toBeNull();
    expect(el.getAttribute('data-conflicts')).toBe('0');
  });

  it('asks about a mass delete as soon as a round needs confirmation, and answers with the chosen action', async () => {
    const { update, dispatch } = await render({ phase: 'idle', settings: WEBDAV });
    await update({ phase: 'idle', settings: WEBDAV, pendingMassDelete: { incoming: 30, outgoing: 2, entities: 40 } });
    const dialog = document.querySelector('app-mass-delete-dialog') as HTMLElement;
    expect(dialog).not.toBeNull();
    expect(text(byTestId(dialog, 'mass-delete-text'))).toBe(
      'This sync would delete 32 items (30 from other devices, 2 from this one) out of 40. Delete them, or keep everything for now?',
    );
    byTestId(dialog, 'mass-delete-cancel')!.click();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.cancelMassDelete());
  });
});
