import { DomainEntity, entityKey, EntityType } from '../crdt/schema';
import { ViewChanges } from '../replica/replica-state';

type Last = { readonly type: EntityType; readonly entity: DomainEntity } | { readonly type: EntityType; readonly id: string; readonly removed: true };

/**
 * What the attempts of one round adopted. An attempt adopts its merge before it commits, and a
 * commit can still make the round start over (another device committed first): what the first
 * attempt adopted has changed the view all the same, so the app hears of every adoption of the
 * round, and the mass-delete guard counts them all against the entities the round began with.
 */
export class Adoptions {
  private readonly last = new Map<string, Last>();
  private readonly incoming = new Set<string>();

  constructor(readonly entitiesAtStart: number) {}

  add(changes: ViewChanges, incomingKeys: readonly string[]): void {
    for (const change of changes.upserted) this.last.set(entityKey(change.type, change.entity.id), change);
    for (const { type, id } of changes.removed) this.last.set(entityKey(type, id), { type, id, removed: true });
    for (const key of incomingKeys) this.incoming.add(key);
  }

  get isEmpty(): boolean {
    return this.last.size === 0;
  }

  /** Entities this round has removed from the view so far. */
  get removed(): number {
    let count = 0;
    for (const change of this.last.values()) if ('removed' in change) count++;
    return count;
  }

  /** Every adoption of the round as one change set, each entity as it ended up. */
  get changes(): ViewChanges {
    const upserted: Array<{ type: EntityType; entity: DomainEntity }> = [];
    const removed: Array<{ type: EntityType; id: string }> = [];
    for (const change of this.last.values()) {
      if ('removed' in change) removed.push({ type: change.type, id: change.id });
      else upserted.push(change);
    }
    return { upserted, removed };
  }

  /** Whether an entity's change came from another device (not a view refresh re-emitting our own edit). */
  isIncoming(key: string): boolean {
    return this.incoming.has(key);
  }
}
