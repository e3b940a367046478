import { DELETED_KEY, isDeleted } from '../crdt/entity-record';
import { deviceOf } from '../replica/session';
import { parseRegisterKey } from '../crdt/materialize';
import { DomainEntity, splitEntityKey } from '../crdt/schema';
import { MeteredStore } from '../remote/metered-store';
import { META_PATH } from '../remote/remote-format';
import { parseRoot } from '../remote/parse-files';
import { MergeSession } from '../replica/replica-state';
import { DryRunEntry, DryRunResult } from '../types';
import { RoundContext } from './context';
import { fetchIncoming } from './incoming';
import { decode, readLegacy } from './remote-files';

/** The plan's Phase 1: what the next round would receive and send, without writing anything. */
export async function dryRun(ctx: RoundContext): Promise<DryRunResult> {
  const state = ctx.state;
  const meter = new MeteredStore(ctx.options.store);
  const read = await meter.read(META_PATH);
  const root = read.status === 'ok' ? parseRoot(await decode(read.data, META_PATH)) : null;
  const session = new MergeSession(state);
  if (root) {
    const incoming = await fetchIncoming(ctx, meter, root);
    if (incoming.snapshot) session.applySnapshot(incoming.snapshot);
    for (const delta of incoming.deltas) session.applyDelta(delta);
  } else {
    const legacy = await readLegacy(meter);
    if (legacy) session.applyDelta(legacy);
  }
  const receive: DryRunEntry[] = [];
  for (const { key, before, after } of session.preview()) {
    if (before === null && after === null) continue;
    const { type, id } = splitEntityKey(key);
    const fields = changedFields(before, after);
    if (before !== null && after !== null && fields.length === 0) continue;
    receive.push({ type, id, title: titleOf(after ?? before, id), change: before === null ? 'create' : after === null ? 'delete' : 'update', fields });
  }
  const send: DryRunEntry[] = [];
  for (const [key, registers] of state.dirty) {
    const { type, id } = splitEntityKey(key);
    const record = state.records.get(key);
    const deleted = record ? isDeleted(record) : true;
    const fields = [...new Set([...registers.keys()].filter((register) => register !== DELETED_KEY).map((register) => parseRegisterKey(type, register).field))];
    const created = !state.root || !record || [...record.keys.values()].every((values) => values.every((value) => deviceOf(value.r) === deviceOf(state.replica)));
    send.push({ type, id, title: titleOf(state.view.get(key) ?? null, id), change: deleted ? 'delete' : created && registers.has(DELETED_KEY) && fields.length > 0 && registers.size > 2 ? 'create' : 'update', fields });
  }
  return { receive, send, requests: meter.requests, bytesReceived: meter.bytesReceived };
}

function titleOf(entity: DomainEntity | null, id: string): string {
  const title = entity?.['title'];
  return typeof title === 'string' && title ? title : id;
}

function changedFields(before: DomainEntity | null, after: DomainEntity | null): string[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...fields].filter((field) => !['id', 'version', 'lastModifiedAt', 'lastModifiedBy'].includes(field) && JSON.stringify(before?.[field]) !== JSON.stringify(after?.[field]));
}
