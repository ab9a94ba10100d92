import { thrownBy } from '@notes/testkit';
import { describe, expect, it } from 'vitest';
import { generateNoteKey, parseNoteKey } from './note-key.js';

/** The 400 a bad key gets, reduced to what a user sees: status and the field named. */
const rejected = (fn: () => unknown) => {
  const err = thrownBy(fn);
  return { status: err.status, field: err.field };
};

describe('note keys', () => {
  it('accepts 1-64 letters, digits, "-" and "_", as they are', () => {
    for (const key of ['a', 'Z9', 'abc_DEF-123', 'k'.repeat(64), '-_-']) expect(parseNoteKey(key)).toBe(key);
  });

  it.each([
    undefined,
    '',
    'k'.repeat(65),
    'a b',
    'a/b',
    '../x',
    'a.b',
    'ü',
    'a\n',
    '%20',
    null,
    42,
    ['a', 'b'],
    { key: 'a' },
  ])('refuses %j with a 400 naming the field', (value) => {
    expect(rejected(() => parseNoteKey(value))).toEqual({ status: 400, field: 'key' });
    expect(rejected(() => parseNoteKey(value, 'notekey')).field).toBe('notekey');
  });

  it('generates URL-safe keys that it accepts itself, different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, generateNoteKey));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(parseNoteKey(key)).toBe(key);
      expect(encodeURIComponent(key)).toBe(key);
    }
  });
});
