/**
 * The one way a timestamp is shown, on the server-rendered page and in live events alike:
 * `2025-03-04 17:05 UTC`. Formatting happens on the server only, so both are identical.
 */
export function formatTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
