import { DomainData } from '../domain-data.model';

export const BACKUP_FORMAT = 'super-sync-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** The file "Export" writes and "Import" reads back. */
export interface AppBackup {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  exportedAt: number;
  data: DomainData;
}

export function createBackup(data: DomainData, exportedAt: number): AppBackup {
  return { format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, exportedAt, data };
}

export function backupFileName(exportedAt: number): string {
  return `tandem-tasks-backup-${new Date(exportedAt).toISOString().slice(0, 19).replace(/:/g, '-')}.json`;
}
