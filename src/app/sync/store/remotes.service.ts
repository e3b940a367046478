import { inject, Injectable } from '@angular/core';
import { LocalDatabase } from '../../persistence/local-database';
import { EncryptingStore } from '../engine/remote/encryption';
import { probeCommitMode } from '../engine/remote/probe';
import { META_PATH } from '../engine/remote/remote-format';
import { RemoteStore } from '../engine/remote/remote-store';
import { isSyncError } from '../engine/sync-error';
import { DropboxProvider } from '../providers/dropbox.provider';
import { DEFAULT_WEBDAV_FOLDER, WebDavProvider } from '../providers/webdav.provider';
import { defaultDeviceName } from './device-name';
import { ConnectionReport, ProviderSettings } from './provider-settings';

const PROVIDER_KEY = 'syncProvider';
/** Settings a tab stored for the leading tab to connect to (never sent in an action or a message). */
const SUBMITTED_KEY = 'syncProviderSubmitted';
const INTERVAL_KEY = 'syncIntervalMinutes';
const DEVICE_NAME_KEY = 'syncDeviceName';
const DEFAULT_TARGET_URL = 'sync-default.json';

/**
 * The configured sync target: its settings (kept in this device's IndexedDB only, never synced,
 * exported or logged), the RemoteStore it becomes, and the connection test the settings page runs.
 */
@Injectable({ providedIn: 'root' })
export class RemotesService {
  private readonly db = inject(LocalDatabase);

  /** The stored settings; on first start, the default target `npm start` serves, if any. */
  async loadSettings(): Promise<ProviderSettings | null> {
    const stored = await this.db.readSetting<ProviderSettings | null>(PROVIDER_KEY);
    if (stored !== undefined) return stored;
    const fallback = await this.defaultTarget();
    if (fallback) await this.db.writeSetting(PROVIDER_KEY, fallback);
    return fallback;
  }

  async saveSettings(settings: ProviderSettings | null): Promise<void> {
    await this.db.writeSetting(PROVIDER_KEY, settings);
  }

  saveSubmitted(settings: ProviderSettings | null): Promise<void> {
    return this.db.writeSetting(SUBMITTED_KEY, { settings });
  }

  /** The settings submitted last, once (undefined: none waiting). */
  async takeSubmitted(): Promise<ProviderSettings | null | undefined> {
    const submitted = await this.db.readSetting<{ settings: ProviderSettings | null }>(SUBMITTED_KEY);
    if (submitted === undefined) return undefined;
    await this.db.writeSetting(SUBMITTED_KEY, undefined);
    return submitted.settings;
  }

  async loadInterval(): Promise<number> {
    const minutes = await this.db.readSetting<number>(INTERVAL_KEY);
    return typeof minutes === 'number' && minutes >= 0 ? minutes : 5;
  }

  saveInterval(minutes: number): Promise<void> {
    return this.db.writeSetting(INTERVAL_KEY, minutes);
  }

  /** The device's name; a new installation gets a distinct one, stored at once so it stays the same. */
  async loadDeviceName(installationId: string): Promise<string> {
    const name = await this.db.readSetting<string>(DEVICE_NAME_KEY);
    if (typeof name === 'string' && name.trim()) return name;
    const fresh = defaultDeviceName(typeof navigator === 'undefined' ? '' : navigator.userAgent, installationId);
    await this.db.writeSetting(DEVICE_NAME_KEY, fresh);
    return fresh;
  }

  saveDeviceName(name: string): Promise<void> {
    return this.db.writeSetting(DEVICE_NAME_KEY, name);
  }

  /** The RemoteStore for these settings; `onCredentials` receives refreshed Dropbox tokens. */
  createStore(settings: ProviderSettings, onCredentials?: (settings: ProviderSettings) => void): RemoteStore {
    let store: RemoteStore;
    if (settings.provider === 'webdav') {
      store = new WebDavProvider({ url: settings.url, username: settings.username || undefined, password: settings.password || undefined, folder: settings.folder });
    } else {
      store = new DropboxProvider(
        { appKey: settings.appKey, folder: settings.folder, ...(settings.apiBaseUrl ? { apiBaseUrl: settings.apiBaseUrl } : {}) },
        { accessToken: settings.accessToken, refreshToken: settings.refreshToken, accessTokenExpiresAt: settings.accessTokenExpiresAt },
        { onCredentialsChange: (credentials) => onCredentials?.({ ...settings, ...credentials }) },
      );
    }
    return settings.passphrase ? new EncryptingStore(store, settings.passphrase) : store;
  }

  /** The probe of SYNC.md §6, and whether the folder already holds synced data, in words. */
  async testConnection(settings: ProviderSettings): Promise<ConnectionReport> {
    try {
      const store = this.createStore(settings);
      const probe = await probeCommitMode(store);
      const meta = await store.read(META_PATH);
      const remoteHasData = meta.status === 'ok';
      // The report shows the mode and the folder's state in words of its own; the message says what the probe found.
      return { ok: true, mode: probe.mode, message: probe.reason, remoteHasData };
    } catch (error) {
      return { ok: false, message: isSyncError(error) ? error.message : `The connection test failed: ${error instanceof Error ? error.message : String(error)}`, errorCode: isSyncError(error) ? error.code : 'unexpected' };
    }
  }

  private async defaultTarget(): Promise<ProviderSettings | null> {
    try {
      const response = await fetch(DEFAULT_TARGET_URL, { cache: 'no-store' });
      if (!response.ok) return null;
      const raw = (await response.json()) as Partial<ProviderSettings> & { provider?: string };
      if (raw.provider !== 'webdav' || typeof raw.url !== 'string') return null;
      return { provider: 'webdav', url: raw.url, username: String(raw.username ?? ''), password: String(raw.password ?? ''), folder: String(raw.folder ?? DEFAULT_WEBDAV_FOLDER), mode: raw.mode, isDefaultTarget: true };
    } catch {
      return null;
    }
  }
}
