import { thrownBy } from '@notes/testkit';
import { describe, expect, it } from 'vitest';
import { parseChanges, parseNewUser, parsePasswordCheck, parseUsername } from './user-input.js';

const rejected = (fn: () => unknown) => {
  const err = thrownBy(fn);
  return { status: err.status, field: err.field };
};

const HASH = `$2b$10$${'a'.repeat(53)}`;

describe('parseUsername', () => {
  it.each(['a', 'alice', 'Alice.Smith', 'a_b-c', 'alice@example.org', 'u'.repeat(64)])(
    'accepts %j',
    (name) => {
      expect(parseUsername(name)).toBe(name);
    },
  );

  it.each(['', 'u'.repeat(65), 'a b', 'a/b', 'ä', 'a:b', '<x>', 42, undefined])(
    'refuses %j naming username',
    (name) => {
      expect(rejected(() => parseUsername(name))).toEqual({ status: 400, field: 'username' });
    },
  );
});

describe('parseNewUser', () => {
  it('fills the defaults of a minimal user', () => {
    const { username, password, provider, emails, photos, ...names } = parseNewUser({
      username: 'alice',
      password: 'correct horse',
    });
    expect({ username, password, provider }).toEqual({
      username: 'alice',
      password: 'correct horse',
      provider: 'local',
    });
    expect(names).toEqual({ familyName: '', givenName: '', middleName: '' });
    expect([emails, photos]).toEqual([[], []]);
  });

  it('keeps every given field, and a bcrypt hash as the password', () => {
    const user = {
      username: 'bob',
      password: HASH,
      provider: 'ldap.corp',
      familyName: 'Smith',
      givenName: 'Bob',
      middleName: 'J',
      emails: ['bob@example.org'],
      photos: ['https://example.org/bob.png'],
    };
    expect(parseNewUser(user)).toEqual(user);
  });

  it('accepts a user without a password, and passwords of 8 characters and of 72 bytes', () => {
    expect(parseNewUser({ username: 'carol' }).password).toBeUndefined();
    expect(parseNewUser({ username: 'carol', password: '12345678' }).password).toBe('12345678');
    expect(parseNewUser({ username: 'carol', password: 'é'.repeat(36) }).password).toHaveLength(36);
  });

  it.each([
    ['username', {}],
    ['username', { username: '' }],
    ['username', { username: 'a b' }],
    ['username', { username: 7 }],
    ['password', { username: 'a', password: 'short' }],
    ['password', { username: 'a', password: 'é'.repeat(37) }],
    ['password', { username: 'a', password: 12345678 }],
    ['provider', { username: 'a', provider: '' }],
    ['provider', { username: 'a', provider: 'has space' }],
    ['familyName', { username: 'a', familyName: 'f'.repeat(101) }],
    ['givenName', { username: 'a', givenName: 'tab\there' }],
    ['middleName', { username: 'a', middleName: 'nul\u0000' }],
    ['emails', { username: 'a', emails: 'a@example.org' }],
    ['emails.0', { username: 'a', emails: ['not an address'] }],
    ['emails', { username: 'a', emails: Array.from({ length: 11 }, (_, i) => `u${i}@example.org`) }],
    ['photos.0', { username: 'a', photos: ['ftp://example.org/x.png'] }],
    ['photos.1', { username: 'a', photos: ['https://example.org/x.png', 'not a url'] }],
    ['nickname', { username: 'a', nickname: 'typo' }],
  ])('refuses a bad %s with a 400 naming it', (field, body) => {
    expect(rejected(() => parseNewUser(body))).toEqual({ status: 400, field });
  });

  it.each([null, 'alice', ['alice'], 42])('refuses a body that is not a JSON object (%j)', (body) => {
    expect(rejected(() => parseNewUser(body))).toEqual({ status: 400, field: 'body' });
  });

  it('lists every problem in the message, naming the first field', () => {
    const err = thrownBy(() => parseNewUser({ username: '', password: 'short' }));
    expect(err.field).toBe('username');
    expect(err.message).toMatch(/username: .*; password: must be at least 8 characters/);
  });
});

describe('parseChanges', () => {
  it('returns only the fields given', () => {
    expect(parseChanges({ givenName: 'Al', emails: [] }, 'alice')).toEqual({ givenName: 'Al', emails: [] });
    expect(parseChanges({}, 'alice')).toEqual({});
  });

  it('allows the path username, refuses a rename', () => {
    expect(parseChanges({ username: 'alice', givenName: 'Al' }, 'alice')).toEqual({ givenName: 'Al' });
    expect(rejected(() => parseChanges({ username: 'bob' }, 'alice'))).toEqual({
      status: 400,
      field: 'username',
    });
  });

  it('checks the fields like a new user', () => {
    expect(rejected(() => parseChanges({ password: 'short' }, 'alice')).field).toBe('password');
    expect(rejected(() => parseChanges({ colour: 'red' }, 'alice')).field).toBe('colour');
  });
});

describe('parsePasswordCheck', () => {
  it('accepts a username and any password up to 1024 characters', () => {
    expect(parsePasswordCheck({ username: 'alice', password: 'x' })).toEqual({
      username: 'alice',
      password: 'x',
    });
    expect(parsePasswordCheck({ username: 'alice', password: 'p'.repeat(1024) }).password).toHaveLength(1024);
  });

  it.each([
    ['username', { password: 'x' }],
    ['username', { username: 'a b', password: 'x' }],
    ['password', { username: 'alice' }],
    ['password', { username: 'alice', password: 'p'.repeat(1025) }],
    ['extra', { username: 'alice', password: 'x', extra: 1 }],
  ])('refuses a bad %s', (field, body) => {
    expect(rejected(() => parsePasswordCheck(body))).toEqual({ status: 400, field });
  });
});
