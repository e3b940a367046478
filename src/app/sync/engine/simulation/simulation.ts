import { gunzip, isGzip, parseJsonBytes } from '../remote/codec';
import { DELETED_KEY, EntityRecord, isDeleted } from '../crdt/entity-record';
import { MemoryPersistence } from '../replica/memory-persistence';
import { MemoryRemote } from '../remote/memory-remote';
import { META_PATH, parseDelta, parseRoot, parseSnapshot } from '../remote/remote-format';
import { CommitMode, RemoteStore } from '../remote/remote-store';
import { storeRecord } from '../replica/replica-state';
import { DomainEntity, ENTITY_TYPES, EntityType, entityKey } from '../crdt/schema';
import { SyncError, SyncErrorCode } from '../sync-error';
import { SyncEngine } from '../sync-engine';
import { DeviceCrashed, FaultyStore } from './faulty-store';
import { Pick, randomOp } from './sim-domain';

/**
 * The randomized multi-device simulation of SYNC.md §1. Devices edit, sync (alone or at the
 * same time), crash, get restored from old backups and join empty, over an in-memory remote
 * that loses requests and answers and may ignore If-Match; then edits stop, every device syncs,
 * and the seven rules are checked against a record of every write that was made.
 */
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

interface WriteRecord {
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

interface Device {
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
}

const MAX_DEVICES = 6;

export class Simulation {
  readonly remote: SimulationRemote;
  private readonly random: () => number;
  private now = 1_700_000_000_000;
  private faultsOn = true;
  private step = 0;
  private readonly devices: Device[] = [];
  private readonly writes: WriteRecord[] = [];
  private readonly violations: string[] = [];
  private readonly stats: Record<string, number> = {};
  /** Whether every round of the current settle pass found nothing to receive or send. */
  private quietPass = true;
  /** Files the server answered for and never stored: rule 5 cannot hold for them, healing must. */
  private readonly dropped = new Set<string>();

  constructor(private readonly config: SimulationConfig) {
    replicaOwners.clear();
    this.random = mulberry32(config.seed);
    if (config.remote) {
      this.remote = config.remote;
    } else {
      const memory = new MemoryRemote({
        honoursConditions: config.server.honoursConditions,
        revisions: config.server.revisions,
        now: () => this.now,
        // In memory, rule 5 is checked after every single change.
        afterChange: () => this.checkRemoteIntegrity(new Map([...memory.files].map(([path, file]) => [path, file]))),
      });
      this.remote = { store: memory, files: async () => new Map(memory.files) };
    }
    this.checkEachCommand = config.remote !== undefined;
  }

  private readonly checkEachCommand: boolean;

  async run(): Promise<SimulationReport> {
    for (let i = 0; i < this.config.devices; i++) await this.addDevice();
    for (const command of this.config.commands) {
      this.step++;
      await this.execute(command);
      if (this.checkEachCommand) this.checkRemoteIntegrity(await this.remote.files());
      this.now += 1 + Math.floor(this.random() * 1500);
    }
    const passes = await this.settle();
    this.checkFinalState();
    return { violations: this.violations, passesToConverge: passes, stats: this.stats };
  }

  // -------------------------------------------------------------------------------------------

  private async addDevice(): Promise<void> {
    if (this.devices.length >= MAX_DEVICES) return;
    const index = this.devices.length;
    const persistence = new MemoryPersistence();
    const device = {
      index,
      persistence,
      skew: this.randomSkew(),
      backups: [],
      ids: 0,
      vanished: false,
      syncedUpTo: this.step,
      hadDroppedWrite: false,
      pauseIn: 0,
    } as unknown as Device;
    device.store = this.connect(device);
    device.engine = await this.open(device);
    this.devices.push(device);
  }

  private randomSkew(): number {
    return Math.floor((this.random() - 0.5) * 2 * (this.config.clockSkewMs ?? 5_000));
  }

  private connect(device: Device): FaultyStore {
    return new FaultyStore(this.remote.store, {
      delay: async () => {
        if (device.pauseIn > 0 && --device.pauseIn === 0) {
          this.count('paused rounds');
          this.now += (1 + Math.floor(this.random() * 5)) * 3600_000;
        }
        const ticks = Math.floor(this.random() * 4);
        for (let i = 0; i < ticks; i++) await Promise.resolve();
      },
      lie: (kind, path) => {
        const lies = this.config.lies;
        if (!lies || !this.faultsOn) return null;
        const r = this.random();
        if (kind === 'write') {
          if (r < lies.drop) {
            this.count('dropped writes');
            device.hadDroppedWrite = true;
            this.dropped.add(path);
            return 'drop';
          }
          return null;
        }
        if (r < lies.spurious404) return this.count('spurious 404s'), 'spurious-404';
        if (r < lies.spurious404 + lies.stale) return this.count('stale reads'), 'stale';
        return null;
      },
      fault: () => {
        if (!this.faultsOn || this.random() >= this.config.faultRate) return { lose: null, crash: false };
        const crash = this.random() < this.config.crashRate;
        const r = this.random();
        return { lose: r < 0.4 ? 'request' : r < 0.8 ? 'response' : null, crash: crash || r >= 0.8 };
      },
    });
  }

  /** Remembers which device each replica id belongs to (ids change on a restore; old ones stay known). */
  private noteReplica(device: Device): void {
    replicaOwners.set(device.engine.replica, device.index);
  }

  private open(device: Device): Promise<SyncEngine> {
    return SyncEngine.open({
      store: device.store,
      persistence: device.persistence,
      deviceName: `Device ${device.index}`,
      mode: this.config.mode,
      now: () => this.now + device.skew,
      monotonic: () => this.now,
      random: this.random,
      sleep: async () => undefined,
      compactAfterDeltas: 5,
      graceMs: 20_000,
      lockTtlMs: 30_000,
      unnamedScanMs: 60_000,
      pack: async (bytes) => bytes,
      maxAttempts: 4,
    });
  }

  private async execute(command: SimCommand): Promise<void> {
    this.count(command.kind);
    switch (command.kind) {
      case 'edit':
        for (let i = 0; i < command.count; i++) await this.edit(this.device(command.device));
        return;
      case 'sync':
        await this.sync(this.device(command.device));
        return;
      case 'sync-together': {
        const chosen = [...new Set(command.devices.map((d) => this.device(d)))];
        await Promise.all(chosen.map((device) => this.sync(device)));
        return;
      }
      case 'resolve':
        await this.resolve(this.device(command.device));
        return;
      case 'backup': {
        const device = this.device(command.device);
        device.backups.push({ step: this.step, copy: device.persistence.backup() });
        return;
      }
      case 'restore':
        await this.restore(this.device(command.device));
        return;
      case 'join':
        await this.addDevice();
        return;
      case 'wait':
        this.now += command.ms;
        return;
      case 'vanish':
        await this.vanish(this.device(command.device));
        return;
      case 'wipe': {
        const device = this.device(command.device);
        const changes = ENTITY_TYPES.flatMap((type) => device.engine.entities(type).map((entity) => ({ type, id: entity.id, entity: null })));
        if (!changes.length) return;
        this.count('wipes');
        await this.recordWrites(device, changes.map((change) => entityKey(change.type, change.id)), true, () => device.engine.applyLocalChanges(changes));
        return;
      }
      case 'clock-jump':
        this.device(command.device).skew = this.randomSkew();
        this.count('clock jumps');
        return;
      case 'sync-paused': {
        const device = this.device(command.device);
        const other = this.device(command.other);
        device.pauseIn = 1 + Math.floor(this.random() * 5);
        await Promise.all([...new Set([device, other])].map((d) => this.sync(d)));
        device.pauseIn = 0;
        return;
      }
    }
  }

  /** The devices still around: a vanished one never syncs again and is not checked for convergence. */
  private get alive(): Device[] {
    return this.devices.filter((device) => !device.vanished);
  }

  private device(n: number): Device {
    const alive = this.alive;
    return alive[n % alive.length];
  }

  private async vanish(device: Device): Promise<void> {
    if (this.alive.length <= 2 || device.hadDroppedWrite) return;
    this.count('vanished devices');
    device.vanished = true;
    // Writes it was never told were synced may go with it; every other one must survive.
    const remoteValues = await this.remoteValueIds();
    for (const write of this.writes) {
      if (write.device !== device.index || write.step <= device.syncedUpTo || write.id === null) continue;
      const elsewhere = this.alive.some((other) => registerIds(other.engine.state.records.get(write.entity)).get(write.key)?.has(write.id!));
      if (!elsewhere && !remoteValues.has(`${write.entity}|${write.key}|${write.id}`)) write.exempt = true;
    }
  }

  private pick(): Pick {
    return { int: (max) => Math.floor(this.random() * max), chance: (p) => this.random() < p };
  }

  private async edit(device: Device): Promise<void> {
    const view = (type: EntityType) => device.engine.entities(type);
    const op = randomOp(view, this.pick(), () => `d${device.index}-${device.engine.replica.slice(0, 3)}-${++device.ids}`, this.now + device.skew);
    if (!op) return;
    this.count(`op ${op.name}`);
    await this.recordWrites(device, op.changes.map((change) => entityKey(change.type, change.id)), false, () => device.engine.applyLocalChanges(op.changes));
  }

  private async resolve(device: Device): Promise<void> {
    const conflicts = device.engine.conflicts();
    if (!conflicts.length) return;
    const conflict = conflicts[Math.floor(this.random() * conflicts.length)];
    const options = [conflict.shown, ...conflict.others];
    const chosen = options[Math.floor(this.random() * options.length)];
    this.count('resolved conflicts');
    await this.recordWrites(device, [entityKey(conflict.type, conflict.id)], true, () =>
      device.engine.resolveConflict(conflict.type, conflict.id, conflict.field, chosen.stamp),
    );
  }

  /** Run a local change and record every register write it made, with what its device had seen. */
  private async recordWrites(device: Device, keys: string[], explicit: boolean, change: () => Promise<unknown>): Promise<void> {
    this.noteReplica(device);
    const before = new Map<string, Map<string, Set<string>>>();
    for (const key of new Set(keys)) before.set(key, registerIds(device.engine.state.records.get(key)));
    await change();
    for (const [key, registersBefore] of before) {
      const after = registerIds(device.engine.state.records.get(key));
      const record = device.engine.state.records.get(key);
      for (const register of new Set([...registersBefore.keys(), ...after.keys()])) {
        const was = registersBefore.get(register) ?? new Set<string>();
        const now = after.get(register) ?? new Set<string>();
        const added = [...now].filter((id) => !was.has(id));
        if (added.length === 0 && was.size === now.size) continue;
        if (added.length === 0) {
          this.writes.push({ device: device.index, step: this.step, entity: key, key: register, id: null, value: undefined, seen: was, explicit });
        }
        for (const id of added) {
          const value = record?.keys.get(register)?.find((v) => valueId(v) === id)?.v;
          this.writes.push({ device: device.index, step: this.step, entity: key, key: register, id, value, seen: was, explicit });
        }
      }
    }
  }

  private async sync(device: Device): Promise<void> {
    try {
      const step = this.step;
      const entitiesBefore = ENTITY_TYPES.reduce((sum, type) => sum + device.engine.entities(type).length, 0);
      this.noteReplica(device);
      let result = await device.engine.sync();
      this.checkMassDeleteGuard(device, entitiesBefore, result.changes.removed.length, result.status);
      if (result.status === 'needs-confirmation') {
        // A person says yes or no; once edits stop, the question is answered yes.
        if (this.faultsOn && this.random() < 0.5) {
          this.count('mass-delete declined');
          return;
        }
        this.count('mass-delete confirmations');
        result = await device.engine.sync({ confirmMassDelete: true });
      }
      if (!device.engine.hasUnsyncedChanges()) device.syncedUpTo = step;
      this.noteReplica(device);
      this.count(`round ${result.status}`);
      if (result.status !== 'up-to-date') this.quietPass = false;
      if (result.compacted) this.count('compactions');
      this.checkReferences(device, 'after a sync');
    } catch (error) {
      if (error instanceof DeviceCrashed) {
        this.count('crashes');
        device.store = this.connect(device);
        device.engine = await this.open(device);
        return;
      }
      if (error instanceof SyncError && (error.isTransient || (this.faultsOn && this.config.tolerate?.includes(error.code)))) {
        this.count(`error ${error.code}`);
        return;
      }
      this.violations.push(`step ${this.step}: device ${device.index} failed with ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  /** Put an old backup back on a device, as a user restoring their browser profile would. */
  /** Rule 7: one sync never deletes more than 100 entities, or more than half of them, without asking. */
  private checkMassDeleteGuard(device: Device, before: number, removed: number, status: string): void {
    if (status === 'needs-confirmation') return;
    if (removed > 100 || (removed > before / 2 && removed >= 10)) {
      this.violations.push(`rule 7 (stale and empty devices are harmless): device ${device.index} deleted ${removed} of ${before} entities in one sync without asking (step ${this.step})`);
    }
  }

  private async restore(device: Device): Promise<void> {
    const backup = device.backups[Math.floor(this.random() * device.backups.length)];
    if (!backup) return;
    this.count('restores');
    // Writes made after the backup that never left the device are lost by the restore itself, not by the sync.
    const remoteValues = await this.remoteValueIds();
    for (const write of this.writes) {
      if (write.device !== device.index || write.step <= backup.step || write.id === null) continue;
      const elsewhere = this.devices.some((other) => other !== device && registerIds(other.engine.state.records.get(write.entity)).get(write.key)?.has(write.id!));
      if (!elsewhere && !remoteValues.has(`${write.entity}|${write.key}|${write.id}`)) write.exempt = true;
    }
    device.persistence = backup.copy.backup();
    device.store = this.connect(device);
    device.engine = await this.open(device);
  }

  /** Every value in the files the current root names. */
  private async remoteValueIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    const files = await this.remote.files();
    const meta = files.get(META_PATH);
    if (!meta) return ids;
    const root = parseRoot(parseJsonBytes(meta.data));
    const read = async (path: string) => {
      const file = files.get(path);
      if (!file) return null;
      return parseJsonBytes(isGzip(file.data) ? await gunzip(file.data) : file.data);
    };
    if (root.snapshot) {
      const raw = await read(root.snapshot.file);
      if (raw) {
        for (const entity of parseSnapshot(raw, root.snapshot.file).entities) {
          for (const [key, values] of entity.keys) for (const value of values) ids.add(`${entityKey(entity.type, entity.id)}|${key}|${valueId(value)}`);
        }
      }
    }
    for (const delta of root.deltas) {
      const raw = await read(delta.file);
      if (!raw) continue;
      for (const entity of parseDelta(raw, delta.file).entities) {
        for (const change of entity.changes) for (const value of change.values) ids.add(`${entityKey(entity.type, entity.id)}|${change.key}|${valueId(value)}`);
      }
    }
    return ids;
  }

  /** Edits stop, the network heals, and every device syncs until all agree (at most a few passes). */
  private async settle(): Promise<number> {
    this.faultsOn = false;
    this.config.onSettle?.();
    this.now += 120_000; // locks expire, graves ripen
    for (const device of this.alive) {
      if (device.store.crashed) {
        device.store = this.connect(device);
        device.engine = await this.open(device);
      }
    }
    // Rule 1 asks for agreement after every device synced twice; the work a pass still finds (an
    // unnamed commit to re-announce, a lock to take over) is allowed two passes more.
    for (let pass = 1; pass <= 6; pass++) {
      this.quietPass = true;
      for (const device of this.alive) await this.sync(device);
      // A pass outlasts a lease and the listing interval: a lock left by a crashed device is taken
      // over once seen unchanged for a whole lease, and every device looks for unnamed commits.
      this.now += 61_000;
      if (this.quietPass && this.converged() && this.alive.every((device) => !device.engine.hasUnsyncedChanges())) return pass;
    }
    this.violations.push('rule 1 (convergence): the devices still disagree, or still find work, after every device synced six times with no edits and no faults');
    return Infinity;
  }

  private converged(): boolean {
    const [first, ...others] = this.alive.map((device) => fingerprint(device.engine));
    return others.every((other) => other === first);
  }

  // -------------------------------------------------------------------------------------------
  // The checks

  private checkFinalState(): void {
    const [referenceDevice, ...others] = this.alive;
    const reference = referenceDevice!.engine;
    // Rule 1: every device holds the same entities, field for field, and the same conflicts.
    for (const device of others) {
      for (const type of ENTITY_TYPES) {
        const mine = canonical(reference.entities(type));
        const theirs = canonical(device.engine.entities(type));
        if (mine !== theirs) this.violations.push(`rule 1 (convergence): device ${device.index} holds other ${type}s than device ${referenceDevice!.index}`);
      }
      if (JSON.stringify(reference.conflicts()) !== JSON.stringify(device.engine.conflicts())) {
        this.violations.push(`rule 1 (convergence): device ${device.index} shows other conflicts than device ${referenceDevice!.index}`);
      }
    }

    // Rule 2: every value written is still there (shown or as a conflict sibling), unless a write that saw it replaced it.
    const records = reference.state.records;
    const superseded = new Set<string>();
    for (const write of this.writes) for (const id of write.seen) superseded.add(`${write.entity}|${write.key}|${id}`);
    for (const write of this.writes) {
      if (write.id === null || write.exempt) continue;
      const key = `${write.entity}|${write.key}|${write.id}`;
      if (superseded.has(key)) continue;
      const final = registerIds(records.get(write.entity)).get(write.key);
      if (!final?.has(write.id)) {
        this.violations.push(`rule 2 (no lost update): device ${write.device}'s write of ${JSON.stringify(write.value)} to ${write.entity} ${write.key} (step ${write.step}) is gone, though no write that saw it replaced it`);
      }
    }

    // Rule 3: a delete stays deleted unless a write it did not see (a concurrent edit) keeps the
    // entity alive, or a later write that saw it (a resolve) brought it back. What a write saw is
    // followed transitively: a delete that saw an edit also saw what that edit had replaced.
    for (const del of this.writes) {
      if (del.key !== DELETED_KEY || del.value !== true || del.id === null || del.exempt) continue;
      const record = records.get(del.entity);
      if (!record || isDeleted(record)) continue;
      const register = this.writes.filter((w) => w.entity === del.entity && w.key === DELETED_KEY && w.id !== null);
      const past = pastOf(register);
      if (register.some((w) => w !== del && past(w).has(del.id!))) continue; // superseded by a write that saw it
      const concurrentEdit = register.some((w) => w.value === false && !past(del).has(w.id!) && !past(w).has(del.id!));
      if (!concurrentEdit) this.violations.push(`rule 3 (no resurrection): ${del.entity} deleted by device ${del.device} at step ${del.step} came back with no concurrent edit`);
    }

    // Rule 6 on every device.
    for (const device of this.alive) this.checkReferences(device, 'at the end');
  }

  /** Rule 4: once converged, a sync with nothing new writes nothing. Call after run(). */
  async checkIdempotence(): Promise<void> {
    const listing = async () => [...(await this.remote.files())].map(([path, file]) => `${path}@${file.revision}`).sort().join();
    const before = await listing();
    for (const device of this.alive) {
      const result = await device.engine.sync();
      if (result.status !== 'up-to-date' || result.bytesSent !== 0) {
        this.violations.push(`rule 4 (idempotence): device ${device.index} sent ${result.bytesSent} bytes in a round with nothing new (${result.status})`);
      }
    }
    const after = await listing();
    if (before !== after) this.violations.push('rule 4 (idempotence): rounds with nothing new changed the remote');
  }

  get report(): string[] {
    return this.violations;
  }

  /** Rule 5: the root never names a file that is not there. Runs after every remote change. */
  private checkRemoteIntegrity(files: Map<string, unknown>): void {
    const meta = files.get(META_PATH) as { data: Uint8Array } | undefined;
    if (!meta) return;
    const root = parseRoot(parseJsonBytes(meta.data));
    const named = [...(root.snapshot ? [root.snapshot.file] : []), ...root.deltas.map((delta) => delta.file)];
    for (const file of named) {
      // A file the server answered for and never stored is not the engine's doing: healing it is (rule 1).
      if (!files.has(file) && !this.dropped.has(file)) this.violations.push(`rule 5 (remote integrity): meta.json names ${file}, which is not on the remote (step ${this.step})`);
    }
  }

  /** Rule 6: no dangling references; every id list holds each live id once and only what belongs. */
  private checkReferences(device: Device, when: string): void {
    const engine = device.engine;
    const tasks = new Map(engine.entities('task').map((task) => [task.id, task]));
    const projects = new Map(engine.entities('project').map((project) => [project.id, project]));
    const tags = new Map(engine.entities('tag').map((tag) => [tag.id, tag]));
    const problems: string[] = [];
    for (const task of tasks.values()) {
      const projectId = task['projectId'];
      if (projectId != null && !projects.has(projectId as string)) problems.push(`task ${task.id} points at missing project ${projectId}`);
      const parentId = task['parentId'];
      if (parentId != null && !tasks.has(parentId as string)) problems.push(`task ${task.id} points at missing parent ${parentId}`);
      for (const tag of (task['tagIds'] as string[]) ?? []) if (!tags.has(tag)) problems.push(`task ${task.id} carries missing tag ${tag}`);
      const children = [...tasks.values()].filter((t) => t['parentId'] === task.id).map((t) => t.id);
      if (!sameSet(task['subTaskIds'], children)) problems.push(`task ${task.id} subTaskIds disagree with its subtasks`);
    }
    for (const project of projects.values()) {
      const members = [...tasks.values()].filter((t) => t['projectId'] === project.id && t['parentId'] == null).map((t) => t.id);
      const listed = [...((project['taskIds'] as string[]) ?? []), ...((project['backlogTaskIds'] as string[]) ?? [])];
      if (!sameSet(listed, members)) problems.push(`project ${project.id} lists ${JSON.stringify(listed)} but holds ${JSON.stringify(members)}`);
    }
    for (const tag of tags.values()) {
      const members = [...tasks.values()].filter((t) => ((t['tagIds'] as string[]) ?? []).includes(tag.id)).map((t) => t.id);
      if (!sameSet(tag['taskIds'], members)) problems.push(`tag ${tag.id} taskIds disagree with the tasks carrying it`);
    }
    for (const problem of problems.slice(0, 3)) this.violations.push(`rule 6 (referential integrity) on device ${device.index} ${when} (step ${this.step}): ${problem}`);
  }

  private count(what: string): void {
    this.stats[what] = (this.stats[what] ?? 0) + 1;
  }
}

/** What each write saw, transitively, among the writes of one register. */
function pastOf(register: readonly WriteRecord[]): (write: WriteRecord) => Set<string> {
  const byId = new Map<string, WriteRecord[]>();
  for (const write of register) byId.set(write.id!, [...(byId.get(write.id!) ?? []), write]);
  const memo = new Map<WriteRecord, Set<string>>();
  const past = (write: WriteRecord): Set<string> => {
    const known = memo.get(write);
    if (known) return known;
    const result = new Set<string>();
    memo.set(write, result);
    const stack = [...write.seen];
    while (stack.length) {
      const id = stack.pop()!;
      if (result.has(id)) continue;
      result.add(id);
      for (const earlier of byId.get(id) ?? []) if (earlier !== write) stack.push(...earlier.seen);
    }
    return result;
  };
  return past;
}

/**
 * Which device wrote a value, whatever replica id it wrote under: a restore makes a device take a
 * new replica id and re-dots its values, so the identity of a value is its device, stamp and
 * value (two devices can stamp the same millisecond with the same value).
 */
const replicaOwners = new Map<string, number>();

function valueId(value: { r: string; t: string; v: unknown }): string {
  return `${replicaOwners.get(value.r) ?? value.r}|${value.t}|${JSON.stringify(value.v)}`;
}

function registerIds(record: EntityRecord | undefined): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  if (!record) return result;
  for (const [key, values] of record.keys) result.set(key, new Set(values.map(valueId)));
  return result;
}

function sameSet(list: unknown, members: string[]): boolean {
  if (!Array.isArray(list) || list.length !== members.length) return false;
  const set = new Set(list);
  return set.size === list.length && members.every((id) => set.has(id));
}

function canonical(entities: DomainEntity[]): string {
  return JSON.stringify(
    entities
      .map((entity) => Object.fromEntries(Object.keys(entity).sort().map((key) => [key, entity[key]])))
      .sort((a, b) => (String(a['id']) < String(b['id']) ? -1 : 1)),
  );
}

function fingerprint(engine: SyncEngine): string {
  const records = [...engine.state.records.values()].filter((record) => record.keys.size > 0).map((record) => {
    const stored = storeRecord(record);
    return JSON.stringify({ ...stored, keys: [...stored.keys].sort(([a], [b]) => (a < b ? -1 : 1)) });
  });
  return records.sort().join('\n');
}

/** A small seeded PRNG, so that a failing case replays from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

