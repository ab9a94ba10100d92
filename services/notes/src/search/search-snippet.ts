import type { HighlightTerm } from './search-query.js';
import { foldWithMap, isCjk } from './search-text.js';

/** Letters and digits that are not CJK: what a non-CJK word may not be glued to. */
const WORD_CHAR =
  '(?:(?![\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}])[\\p{L}\\p{N}])';
const SEPARATOR = '[^\\p{L}\\p{N}]+';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function wordPattern(word: string, last: boolean, prefix: boolean): string {
  if (isCjk(word[0] ?? '')) return escapeRegExp(word);
  const tail = last && prefix ? `${WORD_CHAR}*` : `(?!${WORD_CHAR})`;
  return `(?<!${WORD_CHAR})${escapeRegExp(word)}${tail}`;
}

/** One regular expression finding every term in folded text (null when there is none). */
export function highlighter(terms: HighlightTerm[]): RegExp | null {
  const alternatives = terms
    .filter((t) => t.words.length > 0)
    .map((t) => t.words.map((w, i) => wordPattern(w, i === t.words.length - 1, t.prefix)).join(SEPARATOR))
    // Longer alternatives first, so that a phrase wins over one of its words.
    .sort((a, b) => b.length - a.length);
  return alternatives.length ? new RegExp(alternatives.join('|'), 'gu') : null;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Where the matches are, as offsets into the original text. */
function matchRanges(text: string, pattern: RegExp | null): Array<[number, number]> {
  if (!pattern) return [];
  const { folded, from } = foldWithMap(text);
  const ranges: Array<[number, number]> = [];
  for (const m of folded.matchAll(pattern)) {
    if (m[0].length === 0) continue;
    const start = from[m.index] ?? 0;
    // The end is where the character after the match begins in the original text.
    const end = from[m.index + m[0].length] ?? text.length;
    ranges.push([start, end]);
    if (ranges.length >= 200) break;
  }
  return ranges;
}

/** The text escaped for HTML with its matches in `<mark>`: nothing else is ever markup. */
function marked(text: string, ranges: Array<[number, number]>, offset = 0): string {
  let out = '';
  let at = 0;
  for (const [s, e] of ranges) {
    const start = s - offset;
    const end = e - offset;
    if (end <= at || start >= text.length) continue;
    const from = Math.max(start, at);
    out += escapeHtml(text.slice(at, from));
    out += `<mark>${escapeHtml(text.slice(from, Math.min(end, text.length)))}</mark>`;
    at = Math.min(end, text.length);
  }
  return out + escapeHtml(text.slice(at));
}

/** A title with its matches marked (HTML). */
export function markTitle(title: string, pattern: RegExp | null): string {
  return marked(title, matchRanges(title, pattern));
}

/**
 * About `length` characters of plain text around the first match, escaped, with the matches in
 * `<mark>` and `…` where text was cut; the start of the text when nothing matches in it (a title
 * match, or a word only the index's segmentation found).
 */
export function snippet(text: string, pattern: RegExp | null, length = 220): string {
  const ranges = matchRanges(text, pattern);
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(length / 4));
  if (start > 0) {
    const space = text.lastIndexOf(' ', first);
    if (space >= start - 20 && space < first) start = space + 1;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > first && space > start + length / 2) end = space;
  }
  // Never cut a surrogate pair in half.
  if (/[\uDC00-\uDFFF]/.test(text[start] ?? '')) start++;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  const body = marked(text.slice(start, end), ranges, start);
  return `${start > 0 ? '… ' : ''}${body}${end < text.length ? ' …' : ''}`;
}
