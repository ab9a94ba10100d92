/**
 * How long ago, in words, as the server sees it when it renders the page ("just now", "5 minutes
 * ago", "3 days ago", then the date): right without JavaScript, with the exact time beside it in
 * the element's title (format-time.ts).
 */
export function relativeTime(date: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return plural(hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 30) return plural(days, 'day');
  return date.toISOString().slice(0, 10);
}
