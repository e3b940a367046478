import { EntitySyncMetadata } from '../sync-metadata.model';

/** A task, with Super Productivity's field names. */
export interface Task extends EntitySyncMetadata {
  id: string;
  title: string;
  notes: string;
  isDone: boolean;
  /** When the task was marked done (ms since epoch), null while open. */
  doneOn: number | null;
  projectId: string | null;
  parentId: string | null;
  subTaskIds: string[];
  tagIds: string[];
  /** Milliseconds. */
  timeEstimate: number;
  /** Milliseconds, the sum of timeSpentOnDay. */
  timeSpent: number;
  /** Milliseconds per day, keyed YYYY-MM-DD. */
  timeSpentOnDay: Record<string, number>;
  /** YYYY-MM-DD or null. */
  dueDay: string | null;
  created: number;
}

/** The fields a person edits in the task editor. */
export type TaskEditableFields = Pick<Task, 'title' | 'notes' | 'timeEstimate' | 'dueDay'>;
