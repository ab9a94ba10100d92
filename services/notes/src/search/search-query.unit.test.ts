import { describe, expect, it } from 'vitest';
import { parseQuery, QueryProblem } from './search-query.js';

describe('reading what was typed in the search box', () => {
  it('words, phrases, prefixes and exclusions, folded', () => {
    const q = parseQuery('Café "to BE" notif* -draft -"old stuff"');
    expect(q.include).toEqual([
      { tokens: ['cafe'], prefix: false },
      { tokens: ['to', 'be'], prefix: false },
      { tokens: ['notif'], prefix: true },
    ]);
    expect(q.exclude).toEqual([
      { tokens: ['draft'], prefix: false },
      { tokens: ['old', 'stuff'], prefix: false },
    ]);
    expect(q.highlight.map((h) => h.words)).toEqual([['cafe'], ['to', 'be'], ['notif']]);
  });

  it('punctuated words are phrases of their parts; CJK words phrases of their pairs', () => {
    expect(parseQuery('node.js').include).toEqual([{ tokens: ['node', 'js'], prefix: false }]);
    expect(parseQuery('京都府').include).toEqual([{ tokens: ['京都', '都府'], prefix: false }]);
    expect(parseQuery('猫').include).toEqual([{ tokens: ['猫'], prefix: true }]);
  });

  it('ignores punctuation alone and refuses what cannot run', () => {
    expect(parseQuery('  !! ** ').include).toEqual([]);
    expect(() => parseQuery('-alone')).toThrow(QueryProblem);
    expect(() => parseQuery('x'.repeat(201))).toThrow(/at most 200 characters/);
    expect(() => parseQuery(Array.from({ length: 13 }, (_, i) => `w${i}`).join(' '))).toThrow(/at most 12/);
  });
});
