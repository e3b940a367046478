import { DomainData } from '../domain-data.model';

/**
 * Super Productivity keeps some tag memberships only in the tag's list (its TODAY tag lists tasks
 * that do not name it). Our rule is that a task's own `tagIds` are the truth, so an import first
 * gives each task the tags that list it; the repair then finds nothing to drop.
 */
export function adoptTagListings(data: DomainData): { data: DomainData; notes: string[] } {
  const notes: string[] = [];
  const listedBy = new Map<string, string[]>();
  const taskIds = new Set(data.task.map((task) => task.id));
  for (const tag of data.tag) for (const id of tag.taskIds) if (taskIds.has(id)) listedBy.set(id, [...(listedBy.get(id) ?? []), tag.id]);
  const task = data.task.map((t) => {
    const adding = (listedBy.get(t.id) ?? []).filter((tag) => !t.tagIds.includes(tag));
    if (!adding.length) return t;
    notes.push(`task '${t.id}': now carries tag(s) ${adding.map((m) => `'${m}'`).join(', ')} that listed it`);
    return { ...t, tagIds: [...t.tagIds, ...adding] };
  });
  return { data: { ...data, task }, notes };
}
