import { CommitMode, RemoteStore } from './remote/remote-store';
import { SyncPersistence, ViewChanges } from './replica/replica-state';
import { EntityType } from './crdt/schema';

/** The engine's public vocabulary: what it is opened with, and what its rounds and queries answer. */
export interface SyncEngineOptions {
  readonly store: RemoteStore;
  readonly persistence: SyncPersistence;
  /** Shown to other devices in the settings page. */
  readonly deviceName?: string;
  /** The id a fresh replica takes (the app passes its device id, so lastModifiedBy agrees); random otherwise. */
  readonly replicaId?: string;
  /** The probe's verdict; kept in the bookkeeping once set. */
  readonly mode?: CommitMode;
  readonly now?: () => number;
  /**
   * This device's own elapsed time, never compared with another device's: lock leases and grace
   * periods are measured on it. Defaults to `performance.now()`, which wall-clock jumps do not move.
   */
  readonly monotonic?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxParallel?: number;
  readonly maxAttempts?: number;
  /** Compact when the root lists this many deltas. */
  readonly compactAfterDeltas?: number;
  /** Compact when the listed deltas add up to this many bytes. */
  readonly compactAfterBytes?: number;
  /** Compact when meta.json has grown to this many bytes. */
  readonly compactAfterRootBytes?: number;
  /** How long replaced files stay on the remote for devices that are mid-round. */
  readonly graceMs?: number;
  readonly lockTtlMs?: number;
  /** How often (this device's own time) it lists deltas/ for commits no root names; see unnamed-files.ts. */
  readonly unnamedScanMs?: number;
  /**
   * How delta and snapshot files are packed: gzip unless told. The simulation packs nothing, so
   * that a run replays exactly (the platform's gzip resolves on another thread's timing).
   */
  readonly pack?: (bytes: Uint8Array) => Promise<Uint8Array>;
  /** Told how many of the round's files have arrived, when there is more than one to fetch. */
  readonly onProgress?: (done: number, total: number) => void;
  /** SYNC.md §1.7: a sync deleting more than `max` entities, or more than half (and at least `floor`), asks first. */
  readonly massDelete?: { readonly max: number; readonly floor: number };
}

export type EntityCounts = Record<EntityType, number>;

export interface SyncOptions {
  /** The user confirmed the mass delete the previous round asked about. */
  readonly confirmMassDelete?: boolean;
  /** Rewrite the remote as one fresh snapshot and delete every older file right away. */
  readonly rewrite?: boolean;
}

export interface RoundResult {
  readonly status: 'synced' | 'up-to-date' | 'needs-confirmation';
  /** Entities whose shown state changed because of other devices' data, per type. */
  readonly received: EntityCounts;
  /** Entities this device uploaded, per type. */
  readonly sent: EntityCounts;
  /** What the app must apply to its store. */
  readonly changes: ViewChanges;
  /** Registers that gained a concurrent sibling in this round. */
  readonly newConflicts: number;
  readonly openConflicts: number;
  readonly requests: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly compacted: boolean;
  readonly mode: CommitMode;
  /** Set with status 'needs-confirmation': nothing was applied or sent. */
  readonly massDelete?: { readonly incoming: number; readonly outgoing: number; readonly entities: number };
  /** Files the root names that this engine refuses and skips (everything else synced), with why. */
  readonly refused: readonly RefusedFile[];
}

export interface RefusedFile {
  readonly file: string;
  readonly why: string;
}

export interface ConflictInfo {
  readonly type: EntityType;
  readonly id: string;
  readonly title: string;
  /** The field in conflict (`title`, `timeSpentOnDay/2024-05-01`, or `_del` for delete vs edit). */
  readonly field: string;
  readonly shown: ConflictValue;
  readonly others: ConflictValue[];
}

export interface ConflictValue {
  readonly value: unknown;
  readonly device: string;
  readonly at: number;
  /** Opaque: identifies this value when resolving (its clock stamp, device and write counter). */
  readonly stamp: string;
}

export interface DryRunEntry {
  readonly type: EntityType;
  readonly id: string;
  readonly title: string;
  readonly change: 'create' | 'update' | 'delete';
  readonly fields: string[];
}

export interface DryRunResult {
  readonly receive: DryRunEntry[];
  readonly send: DryRunEntry[];
  readonly requests: number;
  readonly bytesReceived: number;
}

export interface DeviceSeen {
  readonly replica: string;
  readonly name: string;
  readonly lastSyncAt: number;
  readonly isThisDevice: boolean;
}
