import { thrownBy } from '@notes/testkit';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../config.js';
import { parseShareForm, parseUnshareForm } from './share-input.js';

const rejected = (fn: () => unknown) => {
  const err = thrownBy(fn);
  return { status: err.status, field: err.field };
};

describe('share forms', () => {
  it('accepts a key, a user name and a role (trimmed)', () => {
    expect(parseShareForm({ key: 'k-1', username: ' vera@example.org ', role: 'editor' })).toEqual({
      key: 'k-1',
      username: 'vera@example.org',
      role: 'editor',
    });
    expect(parseUnshareForm({ key: 'k-1', username: 'vera' })).toEqual({ key: 'k-1', username: 'vera' });
  });

  it.each([
    [{ username: 'vera', role: 'viewer' }, 'key'],
    [{ key: '<x>', username: 'vera', role: 'viewer' }, 'key'],
    [{ key: 'k', role: 'viewer' }, 'username'],
    [{ key: 'k', username: 'has space', role: 'viewer' }, 'username'],
    [{ key: 'k', username: 'x'.repeat(65), role: 'viewer' }, 'username'],
    [{ key: 'k', username: 'vera', role: 'owner' }, 'role'],
    [{ key: 'k', username: 'vera' }, 'role'],
  ])('refuses %j naming %s', (fields, field) => {
    expect(rejected(() => parseShareForm(fields))).toEqual({ status: 400, field });
  });
});

describe('NOTES_DEFAULT_VISIBILITY', () => {
  const base = { NOTES_SESSION_SECRET: 's'.repeat(32), USERAUTH_API_KEY: 'notes:key' };

  it('is team unless set; private, team and public are accepted', () => {
    expect(readConfig(base).NOTES_DEFAULT_VISIBILITY).toBe('team');
    for (const v of ['private', 'team', 'public'] as const)
      expect(readConfig({ ...base, NOTES_DEFAULT_VISIBILITY: v }).NOTES_DEFAULT_VISIBILITY).toBe(v);
  });

  it('refuses anything else with one line naming the variable', () => {
    expect(() => readConfig({ ...base, NOTES_DEFAULT_VISIBILITY: 'everyone' })).toThrow(
      /NOTES_DEFAULT_VISIBILITY.*must be one of private, team, public/,
    );
  });
});
