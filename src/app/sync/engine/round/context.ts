import { ReplicaState } from '../replica/replica-state';
import { SyncEngineOptions } from '../types';
import { RemoteLock } from './lock';
import { Observations } from './observations';

/** What every step of a round works with: the replica, what this device observed, and its settings. */
export interface RoundContext {
  readonly options: SyncEngineOptions;
  readonly state: ReplicaState;
  /** Replaced when the device connects to another remote. */
  observed: Observations;
  readonly lock: RemoteLock;
  readonly now: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly pack: (bytes: Uint8Array) => Promise<Uint8Array>;
  readonly graceMs: number;
  readonly maxParallel: number;
  /** How many conflicts are open (the engine caches the list). */
  openConflicts(): number;
}
