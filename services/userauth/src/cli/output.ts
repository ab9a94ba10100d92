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

/** One line per user, aligned. */
export function formatList(users: User[]): string {
  if (users.length === 0) return 'no users';
  const width = Math.max(8, ...users.map((u) => u.username.length));
  const pwidth = Math.max(8, ...users.map((u) => u.provider.length));
  const header = `${'USERNAME'.padEnd(width)}  ${'PROVIDER'.padEnd(pwidth)}  NAME / E-MAIL`;
  const lines = users.map((u) =>
    `${u.username.padEnd(width)}  ${u.provider.padEnd(pwidth)}  ${[fullName(u), u.emails[0]].filter(Boolean).join('  ')}`.trimEnd(),
  );
  return [header, ...lines, `${users.length} user(s)`].join('\n');
}

export function formatCheck(c: PasswordCheck): string {
  return c.check
    ? `password correct for ${c.username}`
    : `password incorrect for ${c.username}: ${c.message}`;
}
