/** A backup file of the app's own format with one project of `count` tasks, to import in a test. */
export function oneProjectBackup(count: number, title: string): Buffer {
  const projectId = title.toLowerCase();
  const meta = { version: 1, lastModifiedAt: 1, lastModifiedBy: 'e2e' };
  const task = Array.from({ length: count }, (_, i) => ({
    id: `t${i}`, title: `Task number ${i}`, notes: '', isDone: false, doneOn: null, projectId, parentId: null,
    subTaskIds: [], tagIds: [], timeEstimate: 0, timeSpent: 0, timeSpentOnDay: {}, dueDay: null, created: 1, ...meta,
  }));
  const project = [{ id: projectId, title, taskIds: task.map((t) => t.id), backlogTaskIds: [], theme: { primary: '#3f51b5' }, isArchived: false, ...meta }];
  return Buffer.from(JSON.stringify({ format: 'super-sync-backup', formatVersion: 1, exportedAt: 1, data: { task, project, tag: [], metric: [] } }));
}
