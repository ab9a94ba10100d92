import type { PasswordCheck, User } from '../client/index.js';

const fullName = (u: User) => [u.givenName, u.middleName, u.familyName].filter(Boolean).join(' ');

/** Readable, several lines. */
export function formatUser(u: User): string {
  const rows: Array<[string, string]> = [
    ['username', u.username],
    ['provider', u.provider],
    ['name', fullName(u) || '-'],
    ['emails', u.emails.join(', ') || '-'],
    ['photos', u.photos.join(', ') || '-'],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(10)}${v}`).join('\n');
}

/** Combining marks take no column; East Asian wide characters and emoji take two. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F]/u;
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;

/** Columns a string takes on a terminal (close enough for names and addresses). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return width;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** A table: every column but the last padded to its widest cell, two spaces between columns. */
export function formatTable(rows: string[][]): string {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns - 1 }, (_, i) =>
    Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i < widths.length ? pad(cell, widths[i] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** One line per user in aligned columns, every address in the last one. */
export function formatList(users: User[]): string {
  if (users.length === 0) return 'no users';
  const rows = [
    ['USERNAME', 'PROVIDER', 'NAME', 'E-MAIL'],
    ...users.map((u) => [u.username, u.provider, fullName(u), u.emails.join(', ')]),
  ];
  return `${formatTable(rows)}\n${users.length} user(s)`;
}

export function formatCheck(c: PasswordCheck): string {
  return c.check
    ? `password correct for ${c.username}`
    : `password incorrect for ${c.username}: ${c.message}`;
}
