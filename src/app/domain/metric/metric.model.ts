import { EntitySyncMetadata } from '../sync-metadata.model';

/** How a day went; one per day, the id is the day as YYYY-MM-DD. */
export interface Metric extends EntitySyncMetadata {
  id: string;
  /** 1 (bad) to 10 (great), null when not recorded. */
  mood: number | null;
  /** 1 (bad) to 10 (great), null when not recorded. */
  productivity: number | null;
  notes: string;
}

export type MetricFields = Pick<Metric, 'mood' | 'productivity' | 'notes'>;
