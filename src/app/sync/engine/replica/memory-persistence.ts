import { PersistRequest, PersistedState, StoredRecord, SyncPersistence } from './replica-state';
import { entityKey } from '../crdt/schema';

/**
 * Sync state kept in memory as it would be on disk (deep copies), so the simulation can crash a
 * device (drop its engine, reopen from here) or restore it from an older copy.
 */
export class MemoryPersistence implements SyncPersistence {
  private records = new Map<string, string>();
  private book: string | null = null;
  saves = 0;

  async load(): Promise<PersistedState | null> {
    if (this.book === null) return null;
    return { book: JSON.parse(this.book), records: [...this.records.values()].map((json) => JSON.parse(json) as StoredRecord) };
  }

  async save(request: PersistRequest): Promise<void> {
    this.saves++;
    for (const record of request.records) this.records.set(entityKey(record.type, record.id), JSON.stringify(record));
    this.book = JSON.stringify(request.book);
  }

  /** How many characters the bookkeeping and the records take as stored now. */
  snapshotSize(): { book: number; records: number } {
    let records = 0;
    for (const json of this.records.values()) records += json.length;
    return { book: this.book?.length ?? 0, records };
  }

  /** A copy of everything stored now, as a backup would hold it. */
  backup(): MemoryPersistence {
    const copy = new MemoryPersistence();
    copy.records = new Map(this.records);
    copy.book = this.book;
    return copy;
  }
}
