import { DomainEntity } from '../crdt/schema';
import { MemoryPersistence } from '../replica/memory-persistence';
import { CommitMode, RemoteStore } from '../remote/remote-store';
import { SyncErrorCode } from '../sync-error';
import { SyncEngine } from '../sync-engine';
import { FaultyStore } from './faulty-store';

/** The remote the devices share: the in-memory one, or a real server through a provider. */
export interface SimulationRemote {
  readonly store: RemoteStore;
  /** Every file in the sync folder with its revision (for the checks, not through the devices' network). */
  files(): Promise<Map<string, { data: Uint8Array; revision: string | null }>>;
}

export interface SimulationConfig {
  readonly seed: number;
  /** Defaults to an in-memory remote built from `server`. */
  readonly remote?: SimulationRemote;
  readonly devices: number;
  readonly mode: CommitMode;
  readonly server: { readonly honoursConditions: boolean; readonly revisions: 'unique' | 'none' | 'per-second' };
  /** Share of requests that are lost (half before, half after the server applied them). */
  readonly faultRate: number;
  /** Share of faults that also crash the device. */
  readonly crashRate: number;
  readonly commands: readonly SimCommand[];
  /** Called when edits stop and the network heals (e.g. to turn a fault proxy off). */
  readonly onSettle?: () => void;
  /** Errors that are the expected outcome of this network's faults (a truncated answer is 'invalid-remote-data'). */
  readonly tolerate?: readonly SyncErrorCode[];
  /** How far apart the devices' clocks may be, either way (default 5 s); clock jumps stay within it. */
  readonly clockSkewMs?: number;
  /** Shares of requests the server lies about: a 404 for a file that is there, an older meta.json, a file write answered and dropped. */
  readonly lies?: { readonly spurious404: number; readonly stale: number; readonly drop: number };
  /** False: devices never list deltas/ for commits no root names (the watermark alone must repair written-over roots). */
  readonly listUnnamed?: boolean;
}

export type SimCommand =
  | { readonly kind: 'edit'; readonly device: number; readonly count: number }
  | { readonly kind: 'sync'; readonly device: number }
  | { readonly kind: 'sync-together'; readonly devices: readonly number[] }
  | { readonly kind: 'resolve'; readonly device: number }
  | { readonly kind: 'backup'; readonly device: number }
  | { readonly kind: 'restore'; readonly device: number }
  | { readonly kind: 'join' }
  | { readonly kind: 'wait'; readonly ms: number }
  /** The device is never seen again: every write it was told is synced must survive it. */
  | { readonly kind: 'vanish'; readonly device: number }
  /** The device deletes everything it holds at once (a bad import, a cleared profile): the others must be asked first. */
  | { readonly kind: 'wipe'; readonly device: number }
  /** The device's clock jumps, anywhere within the configured skew. */
  | { readonly kind: 'clock-jump'; readonly device: number }
  /** The device syncs, and hours pass in the middle of its round (a laptop lid closed), while another syncs. */
  | { readonly kind: 'sync-paused'; readonly device: number; readonly other: number };

export interface SimulationReport {
  readonly violations: string[];
  readonly passesToConverge: number;
  readonly stats: Record<string, number>;
}

export interface WriteRecord {
  readonly device: number;
  readonly step: number;
  readonly entity: string;
  readonly key: string;
  /** Identity of the written value: its stamp and value (kept when a restore re-dots it). */
  readonly id: string | null;
  readonly value: unknown;
  /** Identities of the values this write replaced: what its device had seen. */
  readonly seen: ReadonlySet<string>;
  readonly explicit: boolean;
  exempt?: boolean;
}

export interface Device {
  readonly index: number;
  persistence: MemoryPersistence;
  store: FaultyStore;
  engine: SyncEngine;
  skew: number;
  backups: Array<{ step: number; copy: MemoryPersistence }>;
  ids: number;
  vanished: boolean;
  /** The last step after which a round left nothing unsynced: every write up to it was reported synced. */
  syncedUpTo: number;
  /** A write of this device was dropped by the server: it must not vanish (nothing could save that write). */
  hadDroppedWrite: boolean;
  /** Requests until hours pass in the middle of its round (0: none pending). */
  pauseIn: number;
  /** What the app shows: the engine's view at opening and after local edits, then only what rounds report. */
  shown: Map<string, DomainEntity>;
}
