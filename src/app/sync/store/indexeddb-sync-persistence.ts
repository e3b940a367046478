import { EntityType } from '../../domain/domain-data.model';
import { LocalDatabase } from '../../persistence/local-database';
import { PersistRequest, PersistedState, StoredRecord, SyncPersistence, Bookkeeping } from '../engine/replica/replica-state';

/**
 * The engine's local state in the app's IndexedDB. A save writes the engine's records and
 * bookkeeping together with the entities the app must show differently (the merge's outcome),
 * in one transaction, so a crash leaves both as they were or both as they are.
 */
export class IndexedDbSyncPersistence implements SyncPersistence {
  constructor(private readonly db: LocalDatabase) {}

  async load(): Promise<PersistedState | null> {
    const stored = await this.db.loadSync();
    if (!stored) return null;
    return { records: stored.records as StoredRecord[], book: stored.book as Bookkeeping };
  }

  async save(request: PersistRequest): Promise<void> {
    await this.db.writeBatch({
      upsert: (request.view?.upserted ?? []).map(({ type, entity }) => ({ type: type as EntityType, entity })),
      remove: (request.view?.removed ?? []).map(({ type, id }) => ({ type: type as EntityType, id })),
      sync: { records: request.records, book: request.book },
    });
  }
}
