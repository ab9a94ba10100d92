/**
 * Tags (DESIGN 4.7): `#word` in a note's text or a list in the form's `[name=tags]` field. A tag is
 * 1 to 50 letters (any script), digits, `-` and `_` with at least one letter (so `#1` in "issue #1"
 * is not one), kept in lower case. In the text, `#` counts only at the start of a word: not in a
 * URL fragment (`/#top`), an HTML entity (`&#39;`), a heading (`# Title`, where a space follows) or
 * code (fenced blocks and `inline code` are skipped).
 */

export const TAG_MAX_LENGTH = 50;
export const FORM_TAGS_MAX = 20;
export const TAGS_MAX = 50;
export const TAG_RULE = `1 to ${TAG_MAX_LENGTH} letters, digits, - and _, with a letter`;

const TAG = /^(?=[\p{L}\p{N}_-]*\p{L})[\p{L}\p{N}_-]{1,50}$/u;
const IN_TEXT = /(?<![\p{L}\p{N}_&#/\\])#([\p{L}\p{N}_-]+)/gu;

/** The stored form of a tag, or undefined when it is not one. */
export function normalizeTag(text: string): string | undefined {
  const tag = text.normalize('NFC').toLowerCase().replace(/^#/, '');
  return TAG.test(tag) ? tag : undefined;
}

/** The tags written as `#word` in a Markdown text, in order of first appearance, at most TAGS_MAX. */
export function tagsInText(markdown: string): string[] {
  const prose = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?(^\1[^\n]*$|(?![\s\S]))/gm, ' ')
    .replace(/`[^`\n]*`/g, ' ');
  const found = new Set<string>();
  for (const m of prose.matchAll(IN_TEXT)) {
    const tag = normalizeTag((m[1] ?? '').replace(/[-_]+$/, ''));
    if (tag) found.add(tag);
    if (found.size >= TAGS_MAX) break;
  }
  return [...found];
}

/** Why the form's tags cannot be saved (the message names the field as `tags:`). */
export class TagProblem extends Error {}

/** The form's tags field: separated by commas or spaces, `#` optional. Throws TagProblem. */
export function parseTagList(text: string): string[] {
  const found = new Set<string>();
  for (const part of text.split(/[\s,]+/u)) {
    if (part === '' || part === '#') continue;
    const tag = normalizeTag(part);
    if (!tag) throw new TagProblem(`"${part.slice(0, 60)}" is not a tag: use ${TAG_RULE}`);
    found.add(tag);
  }
  if (found.size > FORM_TAGS_MAX) throw new TagProblem(`at most ${FORM_TAGS_MAX} tags`);
  return [...found];
}

/** All of a note's tags: the form's first, then those of the text, each once, at most TAGS_MAX. */
export function noteTags(formTags: readonly string[], body: string): string[] {
  return [...new Set([...formTags, ...tagsInText(body)])].slice(0, TAGS_MAX);
}

/** The form field's text for a list of tags. */
export function formatTagList(tags: readonly string[]): string {
  return tags.join(', ');
}
