import { describe, expect, it } from 'vitest';
import { characterCount } from './text.js';

describe('characterCount', () => {
  it('counts code points: a character outside the BMP is one, not two', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('abc')).toBe(3);
    expect(characterCount('漢字かな한글')).toBe(6);
    expect(characterCount('😀🎉')).toBe(2);
    expect('😀🎉'.length).toBe(4);
    // A ZWJ sequence is three code points (woman, joiner, laptop).
    expect(characterCount('👩‍💻')).toBe(3);
  });

  it('counts a lone surrogate as one character', () => {
    expect(characterCount('\ud83d')).toBe(1);
    expect(characterCount('a\ude00b')).toBe(3);
  });
});
