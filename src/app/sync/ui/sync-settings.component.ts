import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Store } from '@ngrx/store';
import type { DryRunEntry } from '../engine/sync-engine';
import type { ConnectionView, DropboxSettings, WebDavSettings } from '../store/provider-settings';
import { RemotesService } from '../store/remotes.service';
import { SyncConnection } from '../store/sync-connection.service';
import { SyncUiActions } from '../store/sync.actions';
import {
  selectConnectionReport,
  selectDeviceName,
  selectIntervalMinutes,
  selectLastSuccessAt,
  selectPreview,
  selectSyncDevices,
  selectSyncError,
  selectSyncPhase,
  selectSyncSettings,
  selectTestingConnection,
  syncFeature,
} from '../store/sync.reducer';
import { DropboxConnect } from './dropbox-connect.service';
import { countOf, describeMode, describeReport, exactTime, fieldLabel, hintBeyond, relativeTime } from './sync-text';

type ProviderChoice = 'none' | 'webdav' | 'dropbox';

const DEFAULT_FOLDER = 'tandem-tasks';

/** The settings page's sync section: where to sync, how often, this device, and what the next sync would do. */
@Component({
  selector: 'app-sync-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgTemplateOutlet, ReactiveFormsModule, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatInputModule, MatIconModule, MatProgressSpinnerModule],
  templateUrl: './sync-settings.component.html',
  styleUrl: './sync-settings.component.scss',
})
export class SyncSettingsComponent {
  private readonly store = inject(Store);
  private readonly dropbox = inject(DropboxConnect);
  private readonly remotes = inject(RemotesService);
  private readonly connection = inject(SyncConnection);

  protected readonly settings = this.store.selectSignal(selectSyncSettings);
  protected readonly phase = this.store.selectSignal(selectSyncPhase);
  protected readonly lastError = this.store.selectSignal(selectSyncError);
  protected readonly lastSuccessAt = this.store.selectSignal(selectLastSuccessAt);
  protected readonly report = this.store.selectSignal(selectConnectionReport);
  protected readonly testing = this.store.selectSignal(selectTestingConnection);
  protected readonly devices = this.store.selectSignal(selectSyncDevices);
  protected readonly preview = this.store.selectSignal(selectPreview);
  protected readonly previewError = this.store.selectSignal(syncFeature.selectPreviewError);
  private readonly interval = this.store.selectSignal(selectIntervalMinutes);
  private readonly storedDeviceName = this.store.selectSignal(selectDeviceName);

  protected readonly describeMode = describeMode;
  protected readonly describeReport = describeReport;
  protected readonly hintBeyond = hintBeyond;
  protected readonly exactTime = exactTime;
  protected readonly fieldLabel = fieldLabel;
  protected readonly now = signal(Date.now());

  protected readonly choice = signal<ProviderChoice>('none');

  protected readonly webdav = new FormGroup({
    url: new FormControl('', { nonNullable: true }),
    username: new FormControl('', { nonNullable: true }),
    password: new FormControl('', { nonNullable: true }),
    folder: new FormControl(DEFAULT_FOLDER, { nonNullable: true }),
    passphrase: new FormControl('', { nonNullable: true }),
  });
  private readonly webdavValue = toSignal(this.webdav.valueChanges, { initialValue: this.webdav.getRawValue() });

  protected readonly dropboxForm = new FormGroup({
    appKey: new FormControl('', { nonNullable: true }),
    folder: new FormControl('', { nonNullable: true }),
    apiBaseUrl: new FormControl('', { nonNullable: true }),
    code: new FormControl('', { nonNullable: true }),
  });
  private readonly dropboxValue = toSignal(this.dropboxForm.valueChanges, { initialValue: this.dropboxForm.getRawValue() });
  /** Connecting needs a key of the person's own: without one Dropbox's consent page can only fail. */
  protected readonly hasAppKey = computed(() => this.dropbox.isUsableAppKey(this.dropboxValue().appKey ?? ''));
  protected readonly appKeyHelpUrl = this.dropbox.appKeyHelpUrl;
  protected readonly dropboxStep = signal<'idle' | 'opening' | 'waiting-for-code' | 'finishing'>('idle');
  protected readonly dropboxError = signal('');

  protected readonly intervalControl = new FormControl(5, { nonNullable: true });
  protected readonly deviceNameControl = new FormControl('', { nonNullable: true });

  /** The WebDAV values the last "Test connection" was run with: a report only counts for those. */
  private readonly testedWith = signal<string | null>(null);
  protected readonly previewRequested = signal(false);

  protected readonly isDefaultTarget = computed(() => {
    const s = this.settings();
    return s?.provider === 'webdav' && !!s.isDefaultTarget;
  });

  protected readonly connectedWebDav = computed(() => {
    const s = this.settings();
    return s?.provider === 'webdav' ? s : null;
  });

  protected readonly connectedDropbox = computed(() => {
    const s = this.settings();
    return s?.provider === 'dropbox' ? s : null;
  });

  /** The report belongs to what the form holds now (not to values changed since). */
  protected readonly reportIsCurrent = computed(() => this.testedWith() !== null && this.testedWith() === JSON.stringify(this.webdavDraft(this.webdavValue())));

  protected readonly canSaveWebDav = computed(() => !!this.webdavValue().url?.trim());

  protected readonly deviceRows = computed(() =>
    [...this.devices()]
      .sort((a, b) => Number(b.isThisDevice) - Number(a.isThisDevice) || b.lastSyncAt - a.lastSyncAt)
      .map((device) => ({ ...device, ago: relativeTime(device.lastSyncAt, Math.max(this.now(), device.lastSyncAt)) })),
  );

  constructor() {
    // Stored settings changed (loaded, saved, disconnected): show them in the form. Only a change
    // of where and how the device connects counts: the first round's probe saving the mode it
    // found must not reset what the person is typing, nor a connection test just made.
    let shown: string | undefined;
    effect(() => {
      const settings = this.settings();
      const key = formKey(settings);
      if (key === shown) return;
      shown = key;
      untracked(() => this.showSettings(settings));
    });
    effect(() => this.intervalControl.setValue(this.interval(), { emitEvent: false }));
    effect(() => this.deviceNameControl.setValue(this.storedDeviceName(), { emitEvent: false }));
    if (this.dropbox.hasPendingAuthorization) this.dropboxStep.set('waiting-for-code');
  }

  protected choose(choice: ProviderChoice): void {
    this.choice.set(choice);
  }

  protected testConnection(): void {
    const draft = this.webdavDraft(this.webdav.getRawValue());
    this.testedWith.set(JSON.stringify(draft));
    void this.connection.test(draft);
  }

  protected saveWebDav(): void {
    const draft = this.webdavDraft(this.webdav.getRawValue());
    const current = this.connectedWebDav();
    const sameTarget = !!current && current.url === draft.url && current.folder === draft.folder && current.username === draft.username;
    const report = this.report();
    const mode = report?.ok && this.reportIsCurrent() ? report.mode : sameTarget ? current.mode : undefined;
    const settings: WebDavSettings = {
      ...draft,
      ...(mode ? { mode } : {}),
      ...(sameTarget && current.isDefaultTarget ? { isDefaultTarget: true } : {}),
    };
    void this.connection.submit(settings);
  }

  protected disconnect(): void {
    this.store.dispatch(SyncUiActions.disconnect());
  }

  protected async connectDropbox(): Promise<void> {
    this.dropboxError.set('');
    if (!this.hasAppKey()) {
      this.dropboxError.set('Enter the app key of your Dropbox app first (see the steps above).');
      return;
    }
    // Open the tab in the click itself (pop-up blockers), then point it at the authorize page.
    const tab = window.open('', '_blank');
    this.dropboxStep.set('opening');
    try {
      const url = await this.dropbox.start(this.dropboxTarget());
      if (tab) {
        tab.opener = null;
        tab.location.href = url;
      }
      else window.open(url, '_blank', 'noopener');
      this.dropboxStep.set('waiting-for-code');
    } catch (error) {
      tab?.close();
      this.dropboxStep.set('idle');
      this.dropboxError.set(messageOf(error));
    }
  }

  protected async finishDropbox(): Promise<void> {
    const code = this.dropboxForm.controls.code.value.trim();
    if (!code) return;
    this.dropboxError.set('');
    this.dropboxStep.set('finishing');
    try {
      const settings: DropboxSettings = await this.dropbox.finish(this.dropboxTarget(), code);
      this.dropboxForm.controls.code.setValue('');
      this.dropboxStep.set('idle');
      await this.connection.submit(settings);
    } catch (error) {
      this.dropboxStep.set('waiting-for-code');
      this.dropboxError.set(messageOf(error));
    }
  }

  protected saveInterval(): void {
    const minutes = Math.round(Number(this.intervalControl.value));
    if (!Number.isFinite(minutes) || minutes < 0) {
      this.intervalControl.setValue(this.interval());
      return;
    }
    if (minutes !== this.interval()) this.store.dispatch(SyncUiActions.setInterval({ minutes }));
  }

  protected saveDeviceName(): void {
    const name = this.deviceNameControl.value.trim();
    if (!name) {
      this.deviceNameControl.setValue(this.storedDeviceName());
      return;
    }
    if (name !== this.storedDeviceName()) this.store.dispatch(SyncUiActions.setDeviceName({ name }));
  }

  protected syncNow(): void {
    this.store.dispatch(SyncUiActions.syncNow());
  }

  protected previewNextSync(): void {
    this.previewRequested.set(true);
    this.now.set(Date.now());
    this.store.dispatch(SyncUiActions.previewNextSync());
  }

  protected entryText(entry: DryRunEntry): string {
    const change = entry.change === 'create' ? 'new' : entry.change === 'delete' ? 'deleted' : 'changed';
    const fields = entry.change === 'update' && entry.fields.length ? `: ${[...new Set(entry.fields.map((f) => fieldLabel(f)))].join(', ')}` : '';
    return `${change}${fields}`;
  }

  protected summaryOf(entries: readonly DryRunEntry[]): string {
    const counts: Record<string, number> = {};
    for (const entry of entries) counts[entry.type] = (counts[entry.type] ?? 0) + 1;
    return Object.entries(counts).map(([type, n]) => countOf(type, n)).join(', ');
  }

  private showSettings(settings: ConnectionView | null): void {
    this.choice.set(settings?.provider ?? 'none');
    this.testedWith.set(null);
    if (settings?.provider === 'webdav') {
      this.webdav.setValue({ url: settings.url, username: settings.username, password: '', folder: settings.folder, passphrase: '' });
      // The secrets are not in the store: the form reads them from this device's database.
      void this.remotes.loadSettings().then((stored) => {
        if (stored?.provider !== 'webdav' || stored.url !== this.webdav.controls.url.value || this.settings() !== settings) return;
        this.webdav.patchValue({ password: stored.password, passphrase: stored.passphrase ?? '' });
      });
    } else if (settings?.provider === 'dropbox') {
      this.dropboxForm.patchValue({ appKey: settings.appKey ?? '', folder: settings.folder, apiBaseUrl: settings.apiBaseUrl ?? '' });
    }
  }

  private webdavDraft(value: Partial<{ url: string; username: string; password: string; folder: string; passphrase: string }>): WebDavSettings {
    const passphrase = value.passphrase ?? '';
    return {
      provider: 'webdav',
      url: (value.url ?? '').trim(),
      username: (value.username ?? '').trim(),
      password: value.password ?? '',
      folder: (value.folder ?? '').trim(),
      ...(passphrase ? { passphrase } : {}),
    };
  }

  private dropboxTarget() {
    const { appKey, folder, apiBaseUrl } = this.dropboxForm.getRawValue();
    return { appKey: appKey.trim(), folder: folder.trim(), ...(apiBaseUrl.trim() ? { apiBaseUrl: apiBaseUrl.trim() } : {}) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the settings form shows of a connection: everything but the mode the probe found. */
function formKey(settings: ConnectionView | null): string {
  if (!settings) return 'none';
  const { mode: _mode, ...shown } = settings;
  return JSON.stringify(shown);
}
