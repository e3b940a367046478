/** "1h 30m", "45m", "" for durations in milliseconds. */
export function formatDuration(ms: number): string {
  if (!ms || ms < 60_000) return '';
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? (m ? `${h}h ${m}m` : `${h}h`) : `${m}m`;
}

/** "1 task", "3 tasks". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
