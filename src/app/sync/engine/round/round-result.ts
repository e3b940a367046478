import { ENTITY_TYPES, entityKey } from '../crdt/schema';
import { MeteredStore } from '../remote/metered-store';
import { EntityCounts, RoundResult } from '../types';
import { Adoptions } from './adoptions';
import { RoundContext } from './context';

export function emptyCounts(): EntityCounts {
  return { task: 0, project: 0, tag: 0, metric: 0 };
}

export function nonZero(counts: EntityCounts): Partial<EntityCounts> {
  const result: Partial<EntityCounts> = {};
  for (const type of ENTITY_TYPES) if (counts[type]) result[type] = counts[type];
  return result;
}

export interface Outcome {
  readonly status: RoundResult['status'];
  readonly newConflicts: number;
  readonly sent: EntityCounts;
  readonly compacted: boolean;
  readonly massDelete?: RoundResult['massDelete'];
}

/** What the app is told: the round's outcome, with what every attempt of it adopted. */
export function roundResult(ctx: RoundContext, meter: MeteredStore, adoptions: Adoptions, outcome: Outcome): RoundResult {
  const changes = adoptions.changes;
  // What other devices' data changed here (not what a view refresh re-emitted of our own edits).
  const received = emptyCounts();
  for (const { type, entity } of changes.upserted) if (adoptions.isIncoming(entityKey(type, entity.id))) received[type]++;
  for (const { type, id } of changes.removed) if (adoptions.isIncoming(entityKey(type, id))) received[type]++;
  return {
    status: outcome.status,
    received,
    sent: outcome.sent,
    changes,
    newConflicts: outcome.newConflicts,
    openConflicts: ctx.openConflicts(),
    requests: meter.requests,
    bytesSent: meter.bytesSent,
    bytesReceived: meter.bytesReceived,
    compacted: outcome.compacted,
    mode: ctx.state.mode,
    refused: [...ctx.observed.refusedFiles].filter(([file]) => ctx.state.root?.deltas.some((delta) => delta.file === file)).map(([file, why]) => ({ file, why })),
    ...(outcome.massDelete ? { massDelete: outcome.massDelete } : {}),
  };
}
