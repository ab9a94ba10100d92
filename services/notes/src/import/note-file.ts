import { AppError } from '@notes/kit';
import { parse as parseYaml } from 'yaml';
import type { NoteForm } from '../notes/note-input.js';
import { parseNoteForm, TITLE_MAX } from '../notes/note-input.js';
import { normalizeTag, tagsInText } from '../tags/tag-text.js';

/** Why one file cannot be imported, in words for the results page (the field named first). */
export class FileProblem extends Error {}

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;
const HEADING = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/m;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text: UTF-8 (a byte-order mark dropped), lines ending in \n. */
function textOf(bytes: Buffer): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new FileProblem('is not UTF-8 text');
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** The YAML front matter (a mapping) and the body after it (one blank line after it dropped). */
function split(text: string): { meta: Record<string, unknown>; body: string } {
  const m = FRONT_MATTER.exec(text);
  if (!m) return { meta: {}, body: text };
  let meta: unknown;
  try {
    meta = parseYaml(m[1] ?? '', { maxAliasCount: 10, uniqueKeys: false });
  } catch (err) {
    throw new FileProblem(`front matter: is not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (meta !== null && (typeof meta !== 'object' || Array.isArray(meta)))
    throw new FileProblem('front matter: must be a list of "name: value" lines');
  const rest = text.slice(m[0].length);
  return {
    meta: (meta ?? {}) as Record<string, unknown>,
    body: rest.startsWith('\n') ? rest.slice(1) : rest,
  };
}

/** A scalar of the front matter as text (YAML reads `title: 2024` as a number); undefined when absent. */
function scalar(meta: Record<string, unknown>, name: string): string | undefined {
  const value = meta[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new FileProblem(`${name}: must be a single value`);
}

/** A list of the front matter (`[a, b]`, one `- a` a line, or "a, b") as one text for the tags field. */
function list(meta: Record<string, unknown>, name: string): string[] | undefined {
  const value = meta[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return value.map(String);
  throw new FileProblem(`${name}: must be a list of tags`);
}

/** The name without its folders and extension: the title of last resort. */
function stem(fileName: string): string {
  const base = fileName.split('/').at(-1) ?? fileName;
  return base.replace(/\.(md|markdown)$/i, '');
}

/**
 * A Markdown file as a new note's form (DESIGN 4.7): the front matter that the export writes
 * (`key`, `title`, `formTags` or else `tags`, `visibility`; `owner` and the dates are not taken:
 * the importing user owns the note, and it is new here) or none. Without a title, the first
 * heading is one (the heading stays in the text), else the file's name. The form then goes
 * through the note form's own checks, so an import accepts exactly what the add form does; a
 * problem names the field as the form would (`key` for the form's `notekey`).
 */
export function noteFileForm(fileName: string, bytes: Buffer): NoteForm {
  const { meta, body } = split(textOf(bytes));
  const title =
    scalar(meta, 'title') ??
    [...(HEADING.exec(body)?.[1] ?? stem(fileName)).trim()].slice(0, TITLE_MAX).join('');
  const own = list(meta, 'formTags');
  // Tags from another tool (`tags`) may repeat the #words of the text: those are the text's.
  const inText = new Set(tagsInText(body));
  const tags = own ?? (list(meta, 'tags') ?? []).filter((t) => !inText.has(normalizeTag(t) ?? t));
  try {
    return parseNoteForm({
      docreate: 'create',
      notekey: scalar(meta, 'key') ?? '',
      title,
      body,
      visibility: scalar(meta, 'visibility') ?? '',
      tags: tags.join(' '),
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'invalid')
      throw new FileProblem(err.message.replace(/^notekey:/, 'key:'));
    throw err;
  }
}
