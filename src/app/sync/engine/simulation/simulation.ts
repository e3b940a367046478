import { ENTITY_TYPES, EntityType, entityKey } from '../crdt/schema';
import { SyncError } from '../sync-error';
import { DeviceCrashed } from './faulty-store';
import { Pick, randomOp } from './sim-domain';
import { valueId, registerIds } from './sim-checks';
import { show, viewOf } from './sim-app-view';
import { SimulationDevices } from './sim-devices';
import { SimCommand, SimulationReport, Device } from './sim-types';

export * from './sim-types';
export { mulberry32 } from './random';

/**
 * The randomized multi-device simulation of SYNC.md §1. Devices edit, sync (alone or at the
 * same time), crash, get restored from old backups and join empty, over an in-memory remote
 * that loses requests and answers and may ignore If-Match; then edits stop, every device syncs,
 * and the seven rules are checked against a record of every write that was made.
 */
export class Simulation extends SimulationDevices {
  async run(): Promise<SimulationReport> {
    for (let i = 0; i < this.config.devices; i++) await this.addDevice();
    for (const command of this.config.commands) {
      this.step++;
      await this.execute(command);
      if (this.checkEachCommand) this.checkRemoteIntegrity(await this.remote.files());
      this.now += 1 + Math.floor(this.random() * 1500);
    }
    const passes = await this.settle();
    this.healing = false;
    await this.checkFinalState();
    return { violations: this.violations, passesToConverge: passes, stats: this.stats };
  }

  // -------------------------------------------------------------------------------------------

  protected async execute(command: SimCommand): Promise<void> {
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

  protected pick(): Pick {
    return { int: (max) => Math.floor(this.random() * max), chance: (p) => this.random() < p };
  }

  protected async edit(device: Device): Promise<void> {
    const view = (type: EntityType) => device.engine.entities(type);
    const op = randomOp(view, this.pick(), () => `d${device.index}-${device.engine.replica.slice(0, 3)}-${++device.ids}`, this.now + device.skew);
    if (!op) return;
    this.count(`op ${op.name}`);
    await this.recordWrites(device, op.changes.map((change) => entityKey(change.type, change.id)), false, () => device.engine.applyLocalChanges(op.changes));
  }

  protected async resolve(device: Device): Promise<void> {
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
  protected async recordWrites(device: Device, keys: string[], explicit: boolean, change: () => Promise<unknown>): Promise<void> {
    const before = new Map<string, Map<string, Set<string>>>();
    for (const key of new Set(keys)) before.set(key, registerIds(device.engine.state.records.get(key)));
    await change();
    // The app shows its own edit at once (and what the engine's repair made of it).
    device.shown = viewOf(device.engine);
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

  protected async sync(device: Device): Promise<void> {
    try {
      const step = this.step;
      const entitiesBefore = ENTITY_TYPES.reduce((sum, type) => sum + device.engine.entities(type).length, 0);
      let result = await device.engine.sync();
      show(device, result.changes);
      this.checkMassDeleteGuard(device, entitiesBefore, result.changes.removed.length, result.status);
      if (result.status === 'needs-confirmation') {
        // A person says yes or no; once edits stop, the question is answered yes.
        if (this.faultsOn && this.random() < 0.5) {
          this.count('mass-delete declined');
          this.checkShown(device);
          return;
        }
        this.count('mass-delete confirmations');
        result = await device.engine.sync({ confirmMassDelete: true });
        show(device, result.changes);
      }
      this.checkShown(device);
      if (!device.engine.hasUnsyncedChanges()) device.syncedUpTo = step;
      this.count(`round ${result.status}`);
      // Every file here was written by the engine itself: one it refuses to read is a bug of ours.
      if (result.refused.length) this.violations.push(`step ${this.step}: device ${device.index} refused files the engine wrote: ${result.refused.map(({ file, why }) => `${file} (${why})`).join('; ')}`);
      if (result.status !== 'up-to-date') this.quietPass = false;
      if (result.compacted) this.count('compactions');
      this.checkReferences(device, 'after a sync');
    } catch (error) {
      // A round that failed did not do its work (a lock it waits out, say): the pass was not quiet.
      this.quietPass = false;
      if (error instanceof DeviceCrashed) {
        this.count('crashes');
        device.store = this.connect(device);
        device.engine = await this.open(device);
        return;
      }
      if (error instanceof SyncError && (error.isTransient || (this.faultsOn && this.config.tolerate?.includes(error.code)))) {
        this.count(`error ${error.code}`);
        show(device, error.adopted);
        this.checkShown(device);
        return;
      }
      this.violations.push(`step ${this.step}: device ${device.index} failed with ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  /** Edits stop, the network heals, and every device syncs until all agree (at most a few passes). */
  protected async settle(): Promise<number> {
    this.faultsOn = false;
    this.healing = true;
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

}
