import { inject, Injectable } from '@angular/core';
import { Store } from '@ngrx/store';
import { EncryptingStore } from '../engine/remote/encryption';
import { probeCommitMode } from '../engine/remote/probe';
import { CommitMode } from '../engine/remote/remote-store';
import { ConnectionView, connectionView, ProviderSettings } from './provider-settings';
import { RemotesService } from './remotes.service';
import { SwitchableStore } from './switchable-store';
import { SyncApiActions } from './sync.actions';

/** What changed on the remote side when the person saved a connection. */
export interface ConnectionChange {
  /** Another server or folder (or another provider) than before. */
  readonly otherRemote: boolean;
  /** Encryption turned on, off, or to another passphrase on the same remote: every file must be written again. */
  readonly encryptionChanged: boolean;
}

/**
 * The connection this device syncs through: its settings with their secrets (held here and in
 * IndexedDB only; the store gets a ConnectionView), the RemoteStore the engine talks to, and the
 * commit mode, which belongs to the remote: probed for each new connection, never carried over.
 */
@Injectable({ providedIn: 'root' })
export class SyncConnection {
  private readonly remotes = inject(RemotesService);
  private readonly store = inject(Store);
  readonly remote = new SwitchableStore();
  private settings: ProviderSettings | null = null;

  get isConfigured(): boolean {
    return this.settings !== null;
  }

  /** The probe's verdict for this remote, or null until it has been probed. */
  get mode(): CommitMode | null {
    return this.settings?.mode ?? null;
  }

  get view(): ConnectionView | null {
    return connectionView(this.settings);
  }

  async load(): Promise<ConnectionView | null> {
    this.use(await this.remotes.loadSettings());
    return this.view;
  }

  /** The stored settings with their secrets, for the settings form only (never for the store). */
  async stored(): Promise<ProviderSettings | null> {
    return this.settings ?? (await this.remotes.loadSettings());
  }

  /** Connect to `settings` (null: disconnect). A remote not probed yet is probed now; failing that, before its first round. */
  async save(settings: ProviderSettings | null): Promise<ConnectionChange> {
    const before = this.settings;
    let next = settings;
    const otherRemote = !sameRemote(before, next);
    if (next && !next.mode) next = await this.withProbedMode(next);
    await this.remotes.saveSettings(next);
    this.use(next);
    const encryptionChanged = !otherRemote && (before?.passphrase ?? '') !== (next?.passphrase ?? '');
    // Encryption turned off: the files are still encrypted, so the round that rewrites them in plain
    // form reads with the old passphrase (writes are plain); after it, the plain store is used.
    if (encryptionChanged && next && !next.passphrase && before?.passphrase) {
      this.remote.target = new EncryptingStore(this.remotes.createStore(next), before.passphrase, { writes: 'plain' });
    }
    this.store.dispatch(SyncApiActions.providerSaved({ connection: this.view }));
    return { otherRemote, encryptionChanged };
  }

  /** The round that rewrote every file in the connection's current form succeeded. */
  rewritten(): void {
    this.use(this.settings);
  }

  /** The device's name, as other devices see it in the root. */
  async setDeviceName(name: string): Promise<void> {
    await this.remotes.saveDeviceName(name);
    this.deviceNameChanged(name);
  }

  /** Set by SyncEngineHost once the engine is open. */
  deviceNameChanged: (name: string) => void = () => undefined;

  /** Probe a connection whose mode is not known (stored before modes were kept, or saved offline). */
  async ensureMode(): Promise<CommitMode> {
    const settings = this.settings;
    if (!settings) return 'lock';
    if (settings.mode) return settings.mode;
    const probed = await this.withProbedMode(settings);
    if (probed.mode && this.settings === settings) {
      await this.remotes.saveSettings(probed);
      this.settings = probed;
      this.store.dispatch(SyncApiActions.providerSaved({ connection: this.view }));
    }
    // Until a probe has answered, lock mode: it is safe on every server.
    return probed.mode ?? 'lock';
  }

  private async withProbedMode(settings: ProviderSettings): Promise<ProviderSettings> {
    try {
      const { mode } = await probeCommitMode(this.remotes.createStore(settings));
      return { ...settings, mode };
    } catch {
      return settings;
    }
  }

  private use(settings: ProviderSettings | null): void {
    this.settings = settings;
    this.remote.target = settings
      ? this.remotes.createStore(settings, (refreshed) => {
          // Dropbox refreshed its token: keep the new one (never logged, never synced, never in the store).
          this.settings = refreshed;
          void this.remotes.saveSettings(refreshed);
        })
      : null;
  }
}

function sameRemote(a: ProviderSettings | null, b: ProviderSettings | null): boolean {
  if (!a || !b || a.provider !== b.provider) return false;
  if (a.provider === 'webdav' && b.provider === 'webdav') return a.url === b.url && a.folder === b.folder && a.username === b.username;
  if (a.provider === 'dropbox' && b.provider === 'dropbox') return a.folder === b.folder && a.appKey === b.appKey && (a.apiBaseUrl ?? '') === (b.apiBaseUrl ?? '');
  return false;
}
