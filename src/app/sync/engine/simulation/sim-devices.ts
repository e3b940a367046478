import { MemoryPersistence } from '../replica/memory-persistence';
import { SyncEngine } from '../sync-engine';
import { FaultyStore } from './faulty-store';
import { SimulationChecks, registerIds } from './sim-checks';
import { Device } from './sim-types';
import { viewOf } from './sim-app-view';

const MAX_DEVICES = 6;

/** Devices coming and going: joining empty, vanishing, restored from an old backup, and their networks. */
export abstract class SimulationDevices extends SimulationChecks {
  protected async addDevice(): Promise<void> {
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

  protected randomSkew(): number {
    return Math.floor((this.random() - 0.5) * 2 * (this.config.clockSkewMs ?? 5_000));
  }

  protected connect(device: Device): FaultyStore {
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
        if (r < lies.spurious404 + lies.stale) {
          this.servedStale = true;
          return this.count('stale reads'), 'stale';
        }
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

  /** Open the device's engine; its app starts by showing the engine's view. */
  protected async open(device: Device): Promise<SyncEngine> {
    const engine = await SyncEngine.open({
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
      unnamedScanMs: this.config.listUnnamed === false ? Infinity : 60_000,
      pack: async (bytes) => bytes,
      maxAttempts: 4,
    });
    device.shown = viewOf(engine);
    return engine;
  }

  protected async vanish(device: Device): Promise<void> {
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

  /** Put an old backup back on a device, as a user restoring their browser profile would. */
  protected async restore(device: Device): Promise<void> {
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

}
