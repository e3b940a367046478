import { TestBed } from '@angular/core/testing';
import { MockStore } from '@ngrx/store/testing';
import type { DropboxSettings, WebDavSettings } from '../store/provider-settings';
import { SyncUiActions } from '../store/sync.actions';
import { SyncState } from '../store/sync.reducer';
import { DropboxConnect } from './dropbox-connect.service';
import { RemotesService } from '../store/remotes.service';
import { SyncConnection } from '../store/sync-connection.service';
import { SyncSettingsComponent } from './sync-settings.component';
import { aDevice, allByTestId, byTestId, NOW, provideSyncStore, setSync, text } from './sync-ui-testing';
import type { SyncOverrides } from './sync-ui-testing';

const WEBDAV: WebDavSettings = { provider: 'webdav', url: 'http://127.0.0.1:8082/', username: 'sync', password: 'secret-pw', folder: 'team', mode: 'lock' };
const DROPBOX: DropboxSettings = {
  provider: 'dropbox', appKey: 'my-app', folder: '', accessToken: 'access-token-xyz', refreshToken: 'refresh-token-xyz', accessTokenExpiresAt: NOW + 3600_000, accountName: 'Ana Lima',
};

describe('SyncSettingsComponent', () => {
  async function render(state: SyncOverrides, dropbox: Partial<DropboxConnect> = {}) {
    const connect = {
      appKeyHelpUrl: 'https://www.dropbox.com/developers/apps/create',
      isUsableAppKey: (key: string) => key.trim() !== '' && key.trim() !== 'register-your-own-app-key',
      hasPendingAuthorization: false, start: jasmine.createSpy('start'), finish: jasmine.createSpy('finish'), ...dropbox };
    // Secrets never travel in actions: the form submits them to SyncConnection (IndexedDB).
    const connection = { submit: jasmine.createSpy('submit').and.resolveTo(), test: jasmine.createSpy('test').and.resolveTo() };
    // The secrets are not in the state: the form reads them from the device's stored settings.
    const stored = state.settings && !('encrypted' in state.settings) ? state.settings : null;
    TestBed.configureTestingModule({
      imports: [SyncSettingsComponent],
      providers: [
        ...provideSyncStore(state),
        { provide: DropboxConnect, useValue: connect },
        { provide: RemotesService, useValue: { loadSettings: async () => stored } },
        { provide: SyncConnection, useValue: connection },
      ],
    });
    const store = TestBed.inject(MockStore);
    const dispatch = spyOn(store, 'dispatch');
    const fixture = TestBed.createComponent(SyncSettingsComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const stable = () => fixture.whenStable();
    const type = async (id: string, value: string) => {
      const input = byTestId<HTMLInputElement>(el, id)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await stable();
    };
    const click = async (id: string) => {
      const target = byTestId(el, id)!;
      (target.querySelector('button') ?? target).click();
      await stable();
    };
    const update = async (next: SyncOverrides) => {
      setSync(store, next);
      await stable();
    };
    return { el, dispatch, type, click, update, connect, stable, connection };
  }

  it('with sync off, says so, and a filled WebDAV form tests the connection and saves exactly those settings', async () => {
    const { el, dispatch, type, click, connection } = await render({ phase: 'disabled' });
    expect(text(byTestId(el, 'sync-current'))).toContain('Sync is off');
    await click('sync-provider-webdav');
    await type('webdav-url', ' http://127.0.0.1:8082/ ');
    await type('webdav-username', 'sync');
    await type('webdav-password', 'sync-password');
    await type('webdav-folder', 'team');
    const expected: WebDavSettings = { provider: 'webdav', url: 'http://127.0.0.1:8082/', username: 'sync', password: 'sync-password', folder: 'team' };
    await click('sync-test-connection');
    expect(connection.test).toHaveBeenCalledWith(expected);
    await click('sync-save');
    expect(connection.submit).toHaveBeenCalledWith(expected);
    // Nothing the form dispatched carries the password.
    expect(JSON.stringify(dispatch.calls.allArgs())).not.toContain('sync-password');
  });

  it('keeps the password in a password field and never shows it as text', async () => {
    const { el, stable } = await render({ phase: 'idle', settings: WEBDAV });
    await new Promise((resolve) => setTimeout(resolve));
    await stable();
    const password = byTestId<HTMLInputElement>(el, 'webdav-password')!;
    expect(password.type).toBe('password');
    expect(password.value).toBe('secret-pw');
    expect(el.textContent).not.toContain('secret-pw');
  });

  it('reports safe concurrent writes and, before saving, that connecting merges with the data already there', async () => {
    const { el, type, click, update, connection } = await render({ phase: 'disabled' });
    await click('sync-provider-webdav');
    await type('webdav-url', 'http://127.0.0.1:8081/');
    await type('webdav-folder', 'shared');
    await click('sync-test-connection');
    const found = 'The server refuses outdated writes (412) and accepts the current version at once, the same in 2 runs, so devices can commit safely at the same time.';
    await update({ phase: 'disabled', connectionReport: { ok: true, mode: 'compare-and-swap', message: found, remoteHasData: true } });
    const report = byTestId(el, 'connection-report')!;
    expect(report.getAttribute('data-ok')).toBe('true');
    expect(text(report)).toContain('Safe concurrent writes (compare-and-swap)');
    // Each fact once: the heading, the mode and the folder's state do not repeat one another.
    const count = (needle: RegExp) => (text(report).match(needle) ?? []).length;
    expect(count(/concurrent/gi)).toBe(1);
    expect(count(/merges/gi)).toBe(1);
    expect(text(byTestId(el, 'connection-report-message'))).toBe(`What the test found: ${found}`);
    expect(text(byTestId(el, 'connection-remote-has-data'))).toContain('merges its data with what is there: nothing on the server or here is overwritten');
    await click('sync-save');
    expect(connection.submit).toHaveBeenCalledWith({ provider: 'webdav', url: 'http://127.0.0.1:8081/', username: '', password: '', folder: 'shared', mode: 'compare-and-swap' });
  });

  it('keeps what the person typed and a fresh connection test when the first round saves the mode it probed', async () => {
    const view = { provider: 'webdav' as const, url: 'http://127.0.0.1:8081/', username: '', folder: 'tandem-tasks', encrypted: false, isDefaultTarget: true };
    const { el, type, click, update } = await render({ phase: 'idle', settings: view });
    await type('webdav-folder', 'my-own-folder');
    await click('sync-test-connection');
    await update({ phase: 'idle', settings: { ...view, mode: 'compare-and-swap' }, connectionReport: { ok: true, mode: 'compare-and-swap', message: 'found', remoteHasData: false } });
    expect(byTestId<HTMLInputElement>(el, 'webdav-folder')!.value).toBe('my-own-folder');
    expect(text(byTestId(el, 'connection-report'))).not.toContain('You changed the settings since this test');
  });

  it('explains lock mode when the server ignores If-Match', async () => {
    const { el, click } = await render({ phase: 'disabled', connectionReport: { ok: true, mode: 'lock', message: 'The server sends no ETag or revision for files, so a write cannot be made conditional.', remoteHasData: false } });
    await click('sync-provider-webdav');
    const report = text(byTestId(el, 'connection-report'));
    expect(report).toContain('Lock mode');
    expect(report).toContain('take turns');
    expect(report).toContain('The folder is empty');
    expect(report).toContain('What the test found: The server sends no ETag');
    expect(report).not.toMatch(/lock file|lock\.json|If-Match/);
  });

  it('shows the precise error of a failed test and what to check', async () => {
    const message = 'The server at http://127.0.0.1:8082/ refused the login (401).';
    const { el, click } = await render({ phase: 'disabled', connectionReport: { ok: false, message, errorCode: 'auth' } });
    await click('sync-provider-webdav');
    const report = byTestId(el, 'connection-report')!;
    expect(report.getAttribute('data-ok')).toBe('false');
    expect(text(byTestId(report, 'connection-report-message'))).toBe(message);
    expect(text(report)).toContain('the server refused the login');
    expect(text(report)).toContain('Check the user name and password');
  });

  it('shows the last sync error with nothing changed on this device', async () => {
    const { el } = await render({ phase: 'error', settings: WEBDAV, lastError: { code: 'auth', message: 'The server refused the login (401).', at: NOW } });
    const error = byTestId(el, 'sync-settings-error')!;
    expect(error.getAttribute('data-code')).toBe('auth');
    expect(text(error)).toContain('The server refused the login (401).');
    expect(text(error)).toContain('Nothing was changed on this device.');
  });

  it('says clearly when sync goes to the local WebDAV server of npm start', async () => {
    const { el } = await render({ phase: 'idle', settings: { ...WEBDAV, url: 'http://127.0.0.1:8081', folder: 'tandem-tasks', isDefaultTarget: true } });
    expect(text(byTestId(el, 'sync-default-target'))).toContain('local WebDAV server started by npm start');
  });

  it('keeps the commit mode and the default-target mark when the same target is saved again', async () => {
    const settings = { ...WEBDAV, isDefaultTarget: true };
    const { click, stable, connection } = await render({ phase: 'idle', settings });
    await new Promise((resolve) => setTimeout(resolve));
    await stable();
    await click('sync-save');
    expect(connection.submit).toHaveBeenCalledWith(settings);
  });

  it('disconnects', async () => {
    const { dispatch, click } = await render({ phase: 'idle', settings: WEBDAV });
    await click('sync-disconnect');
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.disconnect());
  });

  it('connects Dropbox: opens the authorize page in a new tab, then saves the settings from the pasted code', async () => {
    const start = jasmine.createSpy('start').and.resolveTo('https://www.dropbox.com/oauth2/authorize?client_id=my-app');
    const finish = jasmine.createSpy('finish').and.resolveTo(DROPBOX);
    const tab = { opener: {}, location: { href: '' }, close: jasmine.createSpy('close') };
    const open = spyOn(window, 'open').and.returnValue(tab as unknown as Window);
    const { el, type, click, connection } = await render({ phase: 'disabled' }, { start, finish });
    await click('sync-provider-dropbox');
    await type('dropbox-app-key', 'my-app');
    await click('dropbox-connect');
    await new Promise((resolve) => setTimeout(resolve));
    expect(open).toHaveBeenCalled();
    expect(start).toHaveBeenCalledWith({ appKey: 'my-app', folder: '' });
    expect(tab.location.href).toBe('https://www.dropbox.com/oauth2/authorize?client_id=my-app');
    expect(tab.opener).toBeNull();
    await click('dropbox-app-key');
    await type('dropbox-code', ' the-code ');
    await click('dropbox-finish');
    await new Promise((resolve) => setTimeout(resolve));
    expect(finish).toHaveBeenCalledWith({ appKey: 'my-app', folder: '' }, 'the-code');
    expect(connection.submit).toHaveBeenCalledWith(DROPBOX);
  });

  it('starts the Dropbox key empty, says a key must be registered first, and opens no consent page without one', async () => {
    const start = jasmine.createSpy('start');
    const open = spyOn(window, 'open');
    const { el, type, click } = await render({ phase: 'disabled' }, { start });
    await click('sync-provider-dropbox');
    expect(byTestId<HTMLInputElement>(el, 'dropbox-app-key')!.value).toBe('');
    expect(text(byTestId(el, 'dropbox-app-key-help'))).toContain('Register one first');
    expect(byTestId(el, 'dropbox-app-key-help')!.querySelector('a')!.getAttribute('href')).toBe('https://www.dropbox.com/developers/apps/create');
    expect(byTestId<HTMLButtonElement>(el, 'dropbox-connect')!.disabled).toBeTrue();
    await type('dropbox-app-key', 'register-your-own-app-key');
    expect(byTestId<HTMLButtonElement>(el, 'dropbox-connect')!.disabled).toBeTrue();
    await type('dropbox-app-key', 'my-app');
    expect(byTestId<HTMLButtonElement>(el, 'dropbox-connect')!.disabled).toBeFalse();
    await type('dropbox-app-key', '  ');
    await click('dropbox-connect');
    expect(open).not.toHaveBeenCalled();
    expect(start).not.toHaveBeenCalled();
  });

  it('shows the Dropbox account name, never its tokens', async () => {
    const { el } = await render({ phase: 'idle', settings: DROPBOX });
    expect(text(byTestId(el, 'dropbox-account'))).toBe('Syncing with Dropbox as Ana Lima');
    expect(el.textContent).not.toContain('token-xyz');
    expect(el.innerHTML).not.toContain('token-xyz');
  });

  it('sets the interval and the device name, and syncs now', async () => {
    const { dispatch, type, click, el, stable } = await render({ phase: 'idle', settings: WEBDAV, intervalMinutes: 5, deviceName: 'Linux browser' });
    expect(byTestId<HTMLInputElement>(el, 'sync-device-name')!.value).toBe('Linux browser');
    await type('sync-interval', '15');
    byTestId(el, 'sync-interval')!.dispatchEvent(new Event('blur'));
    await type('sync-device-name', 'Work laptop');
    byTestId(el, 'sync-device-name')!.dispatchEvent(new Event('blur'));
    await stable();
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.setInterval({ minutes: 15 }));
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.setDeviceName({ name: 'Work laptop' }));
    await click('sync-settings-sync-now');
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.syncNow());
  });

  it('lists the devices seen on the remote with their last sync, this one first', async () => {
    const { el } = await render({
      phase: 'idle',
      settings: WEBDAV,
      devices: [aDevice('b', 'Phone', false, NOW - 3 * 60_000), aDevice('a', 'Laptop', true, NOW)],
    });
    expect(allByTestId(el, 'sync-device').map((row) => text(row.querySelector('.device-name')) + ' ' + text(row.querySelector('.muted')))).toEqual(['Laptop (this device) last synced just now', 'Phone last synced 3 min ago']);
  });

  it('previews the next sync: what would be received and sent, per entity with title and fields', async () => {
    const { el, dispatch, click, update } = await render({ phase: 'idle', settings: WEBDAV });
    await click('sync-preview-button');
    expect(dispatch).toHaveBeenCalledWith(SyncUiActions.previewNextSync());
    expect(text(byTestId(el, 'sync-preview'))).toContain('Looking at the remote');
    await update({
      phase: 'idle',
      settings: WEBDAV,
      preview: {
        receive: [{ type: 'task', id: 't1', title: 'Buy milk', change: 'update', fields: ['title', 'isDone'] }],
        send: [{ type: 'project', id: 'p1', title: 'Home', change: 'create', fields: [] }],
        requests: 2,
        bytesReceived: 300,
      },
    });
    expect(text(byTestId(el, 'sync-preview-receive'))).toBe('task Buy milk changed: Title, Done');
    expect(text(byTestId(el, 'sync-preview-send'))).toBe('project Home new');
    expect(text(byTestId(el, 'sync-preview'))).toContain('Would receive: 1 task');
  });
});
