import { mulberry32 } from './random';
import { gunzip, isGzip, parseJsonBytes } from '../remote/codec';
import { DELETED_KEY, EntityRecord, isDeleted } from '../crdt/entity-record';
import { MemoryRemote } from '../remote/memory-remote';
import { META_PATH, toWireValue } from '../remote/remote-format';
import { parseDelta, parseRoot, parseSnapshot } from '../remote/parse-files';
import { DomainEntity, ENTITY_TYPES, entityKey } from '../crdt/schema';
import { SyncEngine } from '../sync-engine';
import { derivedViolation, lagViolation, viewOf } from './sim-app-view';
import { SimulationRemote, SimulationConfig, WriteRecord, Device } from './sim-types';

/** The simulation's world and its checks of the seven rules (SYNC.md §1); simulation.ts drives it. */
export abstract class SimulationChecks {
  readonly remote: SimulationRemote;
  protected readonly random: () => number;
  protected now = 1_700_000_000_000;
  protected faultsOn = true;
  protected step = 0;
  protected readonly devices: Device[] = [];
  protected readonly writes: WriteRecord[] = [];
  protected readonly violations: string[] = [];
  protected readonly stats: Record<string, number> = {};
  /** Whether every round of the current settle pass found nothing to receive or send. */
  protected quietPass = true;
  /** Files the server answered for and never stored: rule 5 cannot hold for them, healing must. */
  protected readonly dropped = new Set<string>();
  /**
   * Whether the server has served an older meta.json: a device that committed on it (in lock mode
   * nothing can tell a stale copy from the current one) may have named files since collected.
   * Rule 5 is then required once the network has healed and the devices have settled (`healing`
   * while they settle: the first round after faults stop may be the one that heals), and healing is rule 1.
   */
  protected servedStale = false;
  protected healing = false;
  constructor(protected readonly config: SimulationConfig) {
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

  protected readonly checkEachCommand: boolean;

  /** The devices still around: a vanished one never syncs again and is not checked for convergence. */
  protected get alive(): Device[] {
    return this.devices.filter((device) => !device.vanished);
  }

  protected device(n: number): Device {
    const alive = this.alive;
    return alive[n % alive.length];
  }

  /** Rule 4 for the app: what it shows, told only what rounds report, is the engine's view after every round, failed ones too. */
  protected checkShown(device: Device): void {
    // Between rounds the view holds local edits unrepaired; the conflict list is always exact.
    for (const violation of [lagViolation(device, this.step), derivedViolation(device, this.step, { view: false })]) if (violation) this.violations.push(violation);
    device.shown = viewOf(device.engine);
  }

  /** Rule 7: one sync never deletes more than 100 entities, or more than half of them, without asking. */
  protected checkMassDeleteGuard(device: Device, before: number, removed: number, status: string): void {
    if (status === 'needs-confirmation') return;
    if (removed > 100 || (removed > before / 2 && removed >= 10)) {
      this.violations.push(`rule 7 (stale and empty devices are harmless): device ${device.index} deleted ${removed} of ${before} entities in one sync without asking (step ${this.step})`);
    }
  }

  /** Every value in the files the current root names. */
  protected async remoteValueIds(): Promise<Set<string>> {
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

  protected converged(): boolean {
    const [first, ...others] = this.alive.map((device) => fingerprint(device.engine));
    return others.every((other) => other === first);
  }

  // -------------------------------------------------------------------------------------------
  // The checks

  protected async checkFinalState(): Promise<void> {
    this.checkRemoteIntegrity(await this.remote.files());
    const [referenceDevice, ...others] = this.alive;
    const reference = referenceDevice!.engine;
    for (const device of this.alive) {
      const violation = derivedViolation(device, this.step, { view: true });
      if (violation) this.violations.push(violation);
    }
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
      let result;
      try {
        result = await device.engine.sync();
      } catch (error) {
        this.violations.push(`rule 1 (convergence): device ${device.index} cannot sync once everything has settled: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
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
  protected checkRemoteIntegrity(files: Map<string, unknown>): void {
    const meta = files.get(META_PATH) as { data: Uint8Array } | undefined;
    if (!meta) return;
    const root = parseRoot(parseJsonBytes(meta.data));
    const named = [...(root.snapshot ? [root.snapshot.file] : []), ...root.deltas.map((delta) => delta.file)];
    for (const file of named) {
      // A file the server answered for and never stored is not the engine's doing: healing it is (rule 1).
      if ((this.faultsOn || this.healing) && this.servedStale) continue;
      if (!files.has(file) && !this.dropped.has(file)) this.violations.push(`rule 5 (remote integrity): meta.json names ${file}, which is not on the remote (step ${this.step})`);
    }
  }

  /** Rule 6: no dangling references; every id list holds each live id once and only what belongs. */
  protected checkReferences(device: Device, when: string): void {
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

  protected count(what: string): void {
    this.stats[what] = (this.stats[what] ?? 0) + 1;
  }
}


/** What each write saw, transitively, among the writes of one register. */
export function pastOf(register: readonly WriteRecord[]): (write: WriteRecord) => Set<string> {
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
 * The identity of a written value: its dot (every opening of a stored state writes under a replica
 * id of its own, so no two writes share one), with its stamp and value, so that two values under
 * one dot (a collision) count as two. A stamp alone is not enough: a device restored from a backup
 * has an older clock and can stamp a new write exactly as its original stamped another.
 */
export function valueId(value: { r: string; n: number; t: string; v: unknown }): string {
  return `${value.r}:${value.n}|${value.t}|${JSON.stringify(value.v)}`;
}

export function registerIds(record: EntityRecord | undefined): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  if (!record) return result;
  for (const [key, values] of record.keys) result.set(key, new Set(values.map(valueId)));
  return result;
}

export function sameSet(list: unknown, members: string[]): boolean {
  if (!Array.isArray(list) || list.length !== members.length) return false;
  const set = new Set(list);
  return set.size === list.length && members.every((id) => set.has(id));
}

export function canonical(entities: DomainEntity[]): string {
  return JSON.stringify(
    entities
      .map((entity) => Object.fromEntries(Object.keys(entity).sort().map((key) => [key, entity[key]])))
      .sort((a, b) => (String(a['id']) < String(b['id']) ? -1 : 1)),
  );
}

export function fingerprint(engine: SyncEngine): string {
  // As other devices hold it: what a value's own writer remembers it replaced (lineage.ts) is not shared.
  const records = [...engine.state.records.values()].filter((record) => record.keys.size > 0).map((record) => {
    const keys = [...record.keys].map(([key, values]) => [key, values.map(toWireValue)] as const).sort(([a], [b]) => (a < b ? -1 : 1));
    return JSON.stringify({ type: record.type, id: record.id, ver: record.ver, keys });
  });
  return records.sort().join('\n');
}
