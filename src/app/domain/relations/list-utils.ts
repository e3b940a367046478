export function without(list: string[], ids: ReadonlySet<string> | string): string[] {
  return typeof ids === 'string' ? list.filter((x) => x !== ids) : list.filter((x) => !ids.has(x));
}

export function unique(list: string[]): string[] {
  return list.length === new Set(list).size ? list : [...new Set(list)];
}

/** Moves `id` to `toIndex` (clamped); returns the same array when nothing moves. */
export function moveInList(list: string[], id: string, toIndex: number): string[] {
  const from = list.indexOf(id);
  if (from < 0) return list;
  const to = Math.max(0, Math.min(list.length - 1, Math.trunc(toIndex)));
  if (from === to) return list;
  const next = list.slice();
  next.splice(from, 1);
  next.splice(to, 0, id);
  return next;
}
