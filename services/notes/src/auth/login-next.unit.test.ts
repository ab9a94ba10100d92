import { describe, expect, it } from 'vitest';
import { safeNext } from './login-next.js';

describe('safeNext', () => {
  it.each([
    ['/notes/add', '/notes/add'],
    ['/notes/view?key=a%20b', '/notes/view?key=a%20b'],
    ['/', '/'],
    ['/search?q=x#frag', '/search?q=x'],
  ])('keeps the path of this site %s', (value, kept) => {
    expect(safeNext(value)).toBe(kept);
  });

  it.each([
    undefined,
    '',
    42,
    ['/notes/add'],
    'notes/add',
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/\nx',
    '/users/login',
    '/users/login?next=/x',
    '/users/logout',
    `/${'a'.repeat(2001)}`,
  ])('refuses %j', (value) => {
    expect(safeNext(value)).toBeUndefined();
  });
});
