import { EntitySyncMetadata } from '../sync-metadata.model';

export interface ProjectTheme {
  primary: string;
}

export interface Project extends EntitySyncMetadata {
  id: string;
  title: string;
  /** The project's top-level tasks, in the order the person put them. */
  taskIds: string[];
  backlogTaskIds: string[];
  theme: ProjectTheme;
  isArchived: boolean;
}
