import { EntitySyncMetadata } from '../sync-metadata.model';

export interface Tag extends EntitySyncMetadata {
  id: string;
  title: string;
  /** Every task carrying this tag, in the order shown on the tag's page. */
  taskIds: string[];
  color: string;
}
