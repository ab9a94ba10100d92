import { describe, expect, it } from 'vitest';
import { diffTexts } from './text-diff.js';

const kinds = (d: ReturnType<typeof diffTexts>) =>
  d.hunks.flatMap((h) => h.lines.map((l) => `${l.kind}:${l.segments.map((s) => s.text).join('')}`));

describe('diffTexts', () => {
  it('identical texts have no hunks and count every line as unchanged', () => {
    const d = diffTexts('a\nb\nc', 'a\nb\nc');
    expect(d).toEqual({ hunks: [], skippedAfter: 3, added: 0, removed: 0 });
  });

  it('marks added and removed lines with their line numbers on each side', () => {
    const d = diffTexts('one\ntwo\nthree', 'one\nthree\nfour');
    expect(kinds(d)).toEqual(['same:one', 'del:two', 'same:three', 'add:four']);
    const lines = d.hunks[0]!.lines;
    expect(lines.map((l) => [l.oldNumber, l.newNumber])).toEqual([
      [1, 1],
      [2, null],
      [3, 2],
      [null, 3],
    ]);
    expect([d.added, d.removed]).toEqual([1, 1]);
  });

  it('refines a changed line to the words that changed', () => {
    const d = diffTexts('the quick brown fox', 'the slow brown fox');
    const [del, add] = d.hunks[0]!.lines;
    expect(del!.segments).toEqual([
      { text: 'the ', changed: false },
      { text: 'quick', changed: true },
      { text: ' brown fox', changed: false },
    ]);
    expect(add!.segments).toEqual([
      { text: 'the ', changed: false },
      { text: 'slow', changed: true },
      { text: ' brown fox', changed: false },
    ]);
  });

  it('keeps three lines of context and counts the lines left out', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[9] = 'line ten';
    const d = diffTexts(before.join('\n'), after.join('\n'));
    expect(d.hunks).toHaveLength(1);
    expect(d.hunks[0]!.skippedBefore).toBe(6);
    expect(d.hunks[0]!.lines).toHaveLength(8);
    expect(d.skippedAfter).toBe(7);
  });

  it('two changes far apart are two hunks', () => {
    const before = Array.from({ length: 30 }, (_, i) => `l${i}`);
    const after = [...before];
    after[2] = 'x';
    after[25] = 'y';
    expect(diffTexts(before.join('\n'), after.join('\n')).hunks).toHaveLength(2);
  });

  it('keeps markup as text: nothing is interpreted', () => {
    const d = diffTexts('safe', '<script>alert(1)</script>');
    expect(kinds(d)).toEqual(['del:safe', 'add:<script>alert(1)</script>']);
  });

  it('works on any script (CJK, emoji)', () => {
    const d = diffTexts('日本語のテキスト 😀', '日本語のノート 😀');
    expect(d.added).toBe(1);
    expect(d.hunks[0]!.lines[1]!.segments.map((s) => s.text).join('')).toBe('日本語のノート 😀');
  });

  it('very different long texts become removed-then-added without word detail (bounded work)', () => {
    const before = Array.from({ length: 6000 }, (_, i) => `line ${i} old`).join('\n');
    const after = Array.from({ length: 6000 }, (_, i) => `line ${i} new`).join('\n');
    const d = diffTexts(before, after);
    expect([d.removed, d.added]).toEqual([6000, 6000]);
    const lines = d.hunks.flatMap((h) => h.lines);
    expect(lines.every((l) => l.segments.length === 1 && l.segments[0]!.changed)).toBe(true);
  });
});
