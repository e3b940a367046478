import { inject, Injectable } from '@angular/core';
import { Store } from '@ngrx/store';
import { EncryptingStore } from '../engine/remote/encryption';
import { probeCommitMode } from '../engine/remote/probe';
import { CommitMode } from '../engine/remote/remote-store';
import { SyncError } from '../engine/sync-error';
import { ConnectionView, connectionView, ProviderSettings } from './provider-settings';
import { RemotesService } from './remotes.service';
import { SwitchableStore } from './switchable-store';
import { SyncApiActions, SyncUiActions } from './sync.actions';

/** What a round holds of the connection from its start to its end (see SyncConnection.beginRound). */
export interface RoundConnection {
  readonly remoteKey: string;
  readonly rewritePending: boolean;
  /** The remote's commit mode, probed now if it is not known yet (lock mode until a probe answers). */
  mode(): Promise<CommitMode>;
  /** Every file was written again in the round's form. */
  rewritten(): Promise<void>;
  /** The round is over: a remote connected meanwhile is used from the next round on. */
  end(): void;
}

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

  /** The remote's name for the engine: another name is another remote (its root is not this one's). */
  get remoteKey(): string | null {
    const s = this.settings;
    if (!s) return null;
    return s.provider === 'webdav' ? `webdav ${s.url} ${s.username} ${s.folder}` : `dropbox ${s.appKey} ${s.apiBaseUrl ?? ''} ${s.folder}`;
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

  /**
   * From any tab: connect to `settings` (null: disconnect). They are stored, and the tab that leads
   * is told to connect: the secrets travel through IndexedDB only, never in an action.
   */
  async submit(settings: ProviderSettings | null): Promise<void> {
    await this.remotes.saveSubmitted(settings);
    this.store.dispatch(SyncUiActions.connectionSubmitted());
  }

  /** The tab that leads: connect to what was submitted last, if anything is waiting. */
  async connectSubmitted(): Promise<ConnectionChange | null> {
    const submitted = await this.remotes.takeSubmitted();
    return submitted === undefined ? null : this.save(submitted);
  }

  /** From any tab: the connection test of the settings page, its report into the store (no secrets in it). */
  async test(settings: ProviderSettings): Promise<void> {
    this.store.dispatch(SyncUiActions.testConnection());
    this.store.dispatch(SyncApiActions.connectionTested({ report: await this.remotes.testConnection(settings) }));
  }

  /** Connect to `settings` (null: disconnect). A remote not probed yet is probed now; failing that, before its first round. */
  async save(settings: ProviderSettings | null): Promise<ConnectionChange> {
    const before = this.settings;
    let next = settings;
    const otherRemote = !sameRemote(before, next);
    if (next && !next.mode) next = await this.withProbedMode(next);
    const encryptionChanged = !otherRemote && (before?.passphrase ?? '') !== (next?.passphrase ?? '');
    if (next && encryptionChanged) {
      // Turned off: the files are still encrypted, so the round that rewrites them in plain form reads with the old passphrase.
      const readWith = !next.passphrase ? (before?.pendingRewrite?.readWith ?? before?.passphrase) : undefined;
      next = { ...next, pendingRewrite: readWith ? { readWith } : {} };
    }
    await this.remotes.saveSettings(next);
    this.use(next);
    this.store.dispatch(SyncApiActions.providerSaved({ connection: this.view }));
    return { otherRemote, encryptionChanged };
  }

  /**
   * A round's view of the connection, fixed at its start: the remote it talks to (pinned until
   * `end`, so a connection saved meanwhile takes effect at the next round), that remote's name and
   * commit mode, and whether its files must be rewritten (encryption changed, no round has done it yet).
   */
  beginRound(): RoundConnection {
    const settings = this.settings;
    if (!settings) throw new SyncError('folder-missing', 'Sync is off: choose a provider in the sync settings.');
    const release = this.remote.pin();
    return {
      remoteKey: this.remoteKey!,
      rewritePending: settings.pendingRewrite !== undefined,
      mode: () => this.ensureMode(settings),
      rewritten: () => this.rewritten(settings),
      end: release,
    };
  }

  /** A round that began with `begun` rewrote every file in its form: the need is done, unless the form changed meanwhile. */
  private async rewritten(begun: ProviderSettings): Promise<void> {
    const settings = this.settings;
    if (!settings?.pendingRewrite || !sameForm(settings, begun)) return;
    const { pendingRewrite: _done, ...rest } = settings;
    await this.remotes.saveSettings(rest as ProviderSettings);
    if (this.settings === settings) this.use(rest as ProviderSettings);
  }

  /** The device's name, as other devices see it in the root. */
  async setDeviceName(name: string): Promise<void> {
    await this.remotes.saveDeviceName(name);
    this.deviceNameChanged(name);
  }

  /** Set by SyncEngineHost once the engine is open. */
  deviceNameChanged: (name: string) => void = () => undefined;

  /** Probe a connection whose mode is not known (stored before modes were kept, or saved offline). */
  private async ensureMode(settings: ProviderSettings): Promise<CommitMode> {
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
    if (!settings) {
      this.remote.target = null;
      return;
    }
    const store = this.remotes.createStore(settings, (refreshed) => {
      // Dropbox refreshed its token: keep the new one (never logged, never synced, never in the store).
      this.settings = { ...refreshed, ...(this.settings?.pendingRewrite ? { pendingRewrite: this.settings.pendingRewrite } : {}) };
      void this.remotes.saveSettings(this.settings);
    });
    const readWith = settings.pendingRewrite?.readWith;
    this.remote.target = readWith && !settings.passphrase ? new EncryptingStore(store, readWith, { writes: 'plain' }) : store;
  }
}

/** The same remote, written in the same form (the same passphrase, read with the same former one). */
function sameForm(a: ProviderSettings, b: ProviderSettings): boolean {
  return sameRemote(a, b) && (a.passphrase ?? '') === (b.passphrase ?? '') && a.pendingRewrite?.readWith === b.pendingRewrite?.readWith;
}

function sameRemote(a: ProviderSettings | null, b: ProviderSettings | null): boolean {
  if (!a || !b || a.provider !== b.provider) return false;
  if (a.provider === 'webdav' && b.provider === 'webdav') return a.url === b.url && a.folder === b.folder && a.username === b.username;
  if (a.provider === 'dropbox' && b.provider === 'dropbox') return a.folder === b.folder && a.appKey === b.appKey && (a.apiBaseUrl ?? '') === (b.apiBaseUrl ?? '');
  return false;
}
