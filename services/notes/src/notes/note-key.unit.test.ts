import { describe, expect, it } from 'vitest';
import { generateNoteKey, isNoteKey } from './note-key.js';

describe('note keys', () => {
  it('accepts 1-64 letters, digits, "-" and "_"', () => {
    for (const key of ['a', 'Z9', 'abc_DEF-123', 'k'.repeat(64), '-_-'])
      expect(isNoteKey(key), key).toBe(true);
  });

  it('refuses anything else, and non-strings', () => {
    for (const key of ['', 'k'.repeat(65), 'a b', 'a/b', '../x', 'a.b', 'ü', 'a\n', '%20']) {
      expect(isNoteKey(key), JSON.stringify(key)).toBe(false);
    }
    for (const value of [undefined, null, 42, ['a'], { key: 'a' }]) expect(isNoteKey(value)).toBe(false);
  });

  it('generates URL-safe keys that it accepts itself, different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, generateNoteKey));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(isNoteKey(key), key).toBe(true);
      expect(encodeURIComponent(key)).toBe(key);
    }
  });
});
