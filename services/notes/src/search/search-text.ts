/**
 * The text that the full-text index sees, made the same way for both databases: folded (case,
 * accents and compatibility forms removed, e.g. "Café" → "cafe", full-width "ＡＢＣ" → "abc"),
 * cut into words of letters and digits, and CJK runs (which have no spaces between words and which
 * neither InnoDB's parser nor FTS5's unicode61 can split) cut into overlapping two-character
 * pieces: "東京都庁" → "東京 京都 都庁". A query is cut the same way and a CJK word searched as the
 * phrase of its pieces, so "京都" is found inside "東京都庁" and "都庁" is too, in either database.
 * Because the folding happens here, the index never depends on the server's collation.
 */

/** Scripts written without spaces between words: Han, kana, Hangul (and their marks of length). */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆]/u;
/** A run of one kind: CJK characters, or other letters and digits. Everything else separates. */
const RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆]+|[\p{L}\p{N}]+/gu;

export function isCjk(char: string): boolean {
  return CJK_CHAR.test(char);
}

/**
 * One character (code point) folded: lower case, compatibility forms decomposed (full-width
 * letters, ligatures), accents dropped. CJK keeps its marks (が is not か) and Hangul stays in
 * syllables (NFC again after the decomposition).
 */
export function foldChar(char: string): string {
  const decomposed = char.normalize('NFKD');
  if (isCjk(decomposed[0] ?? '')) return char.normalize('NFKC');
  return decomposed.replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();
}

/** The folded text. Folding is per character, so `foldWithMap` can point back into the original. */
export function fold(text: string): string {
  let out = '';
  for (const char of text) out += foldChar(char);
  return out;
}

/**
 * The folded text with, for each UTF-16 unit of it, the offset in `text` of the character it
 * came from (and one more entry: the end). Snippets find matches in the folded text and cut and
 * mark the original.
 */
export function foldWithMap(text: string): { folded: string; from: number[] } {
  let folded = '';
  const from: number[] = [];
  let offset = 0;
  for (const char of text) {
    const f = foldChar(char);
    for (let i = 0; i < f.length; i++) from.push(offset);
    folded += f;
    offset += char.length;
  }
  from.push(text.length);
  return { folded, from };
}

/** A CJK run as its index terms: overlapping pairs, or the single character of a run of one. */
export function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/** The words of a text, folded; CJK runs come out whole (callers cut them with `bigrams`). */
export function words(text: string): string[] {
  return fold(text).match(RUN) ?? [];
}

/** What the index stores for a text: its terms separated by spaces. */
export function indexText(text: string): string {
  const out: string[] = [];
  for (const word of words(text)) {
    // One by one: a run can be a million characters, too many for a spread's arguments.
    if (isCjk(word[0] ?? '')) for (const pair of bigrams(word)) out.push(pair);
    else out.push(word);
  }
  return out.join(' ');
}

/**
 * The readable text of a Markdown body, good enough for an index and a one-line preview: code
 * fences, HTML tags, link targets, emphasis and heading marks removed, whitespace collapsed.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s*(```|~~~).*$/gm, ' ')
    .replace(/<\/?[a-z][^>\n]{0,500}>/gi, ' ')
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
