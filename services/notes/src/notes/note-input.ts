import { AppError, characterCount, hasControlChars, parseInput } from '@notes/kit';
import { z } from 'zod';
import { parseTagList, TagProblem } from '../tags/tag-text.js';
import { NOTE_KEY_PATTERN, NOTE_KEY_RULE, noteKeySchema } from './note-key.js';
import { VISIBILITIES, type Visibility } from './note-policy.js';
import { LIST_FILTERS, type ListFilter } from './note-readable.js';

export const TITLE_MAX = 200;
/** The one limit of a note's text, in characters (code points) of any script, after \r\n → \n. */
export const BODY_MAX = 1_000_000;

/**
 * The most bytes one character can take in a request body: in application/x-www-form-urlencoded a
 * 4-byte UTF-8 character is percent-encoded byte by byte (%F0%9F%98%80: 12 bytes; a line break
 * \r\n, one character once normalised, is %0D%0A: 6); in JSON a character outside the BMP escaped
 * as a surrogate pair (\ud83d\ude00) is 12 bytes, a control character \u0000 is 6. Nothing is
 * larger, so 12 bytes per character holds for both.
 */
export const BYTES_PER_CHARACTER_WORST = 12;

/**
 * The form parser's byte limit for a note form: a body and a title at their character limits in
 * the worst encoding, plus 16 KiB for the other fields (key, version, mode, token), names and
 * separators. Any text within the character limit therefore always parses, and a refusal is always
 * the form again with the text in it (a 400 naming the limit).
 */
export const NOTE_FORM_BYTES = (BODY_MAX + TITLE_MAX) * BYTES_PER_CHARACTER_WORST + 16 * 1024;

/** The limit as people read it, e.g. "1,000,000 characters". */
export const BODY_LIMIT_TEXT = `${BODY_MAX.toLocaleString('en-US')} characters`;

export interface NoteForm {
  mode: 'create' | 'update';
  /** Empty on create means "generate one". */
  key: string;
  title: string;
  body: string;
  /** The version the edit started from (update only). */
  version: number;
  /** The chosen visibility; absent = the default (create) or unchanged (update). */
  visibility?: Visibility;
  /** The form's own tags (`[name=tags]`); absent = none (create) or unchanged (update). */
  tags?: string[];
}

/** A form field: one text value; a missing one counts as empty. */
const field = () =>
  z
    .string({ error: 'must be a single text value' })
    .optional()
    .transform((v) => v ?? '');

const mode = field()
  .transform((v) => v || 'create')
  .pipe(z.enum(['create', 'update'], { error: 'must be create or update' }));

const title = field().pipe(
  z
    .string()
    .trim()
    .min(1, { error: 'is required', abort: true })
    .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`)
    .refine((v) => !hasControlChars(v, '\t'), 'must be a single line of text'),
);

const body = field()
  .transform((v) => v.replace(/\r\n/g, '\n'))
  .pipe(
    z
      .string()
      // A cheap bound first (a code point is 1 or 2 code units), then the exact count.
      .max(BODY_MAX * 2, { error: `must be at most ${BODY_LIMIT_TEXT}`, abort: true })
      .refine((v) => characterCount(v) <= BODY_MAX, `must be at most ${BODY_LIMIT_TEXT}`)
      .refine((v) => !hasControlChars(v, '\t\n\r'), 'must not contain control characters'),
  );

const keyText = field().pipe(z.string().trim());

const visibility = field().pipe(
  z.union([z.literal(''), z.enum(VISIBILITIES)], { error: `must be one of ${VISIBILITIES.join(', ')}` }),
);

const createForm = z.object({
  notekey: keyText.refine((v) => v === '' || NOTE_KEY_PATTERN.test(v), `must be ${NOTE_KEY_RULE}`),
  title,
  body,
  visibility,
});

const updateForm = z.object({
  notekey: keyText.pipe(noteKeySchema),
  title,
  body,
  visibility,
  version: field()
    .pipe(z.string().regex(/^\d{1,9}$/, 'must be a whole number'))
    .transform(Number),
});

/** The form's tags field, when it was sent: a 400 naming `tags` for one that is not a tag. */
function parseTags(value: unknown): { tags?: string[] } {
  if (value === undefined) return {};
  if (typeof value !== 'string') throw AppError.invalid('tags', 'must be a single text value');
  try {
    return { tags: parseTagList(value) };
  } catch (err) {
    if (err instanceof TagProblem) throw AppError.invalid('tags', err.message);
    throw err;
  }
}

/** Checks a submitted note form; throws a 400 AppError naming the first bad field. */
export function parseNoteForm(fields: Record<string, unknown>): NoteForm {
  const docreate = parseInput(mode, fields.docreate, 'docreate');
  if (docreate === 'create')
    return {
      mode: docreate,
      version: 0,
      ...rename(parseInput(createForm, fields)),
      ...parseTags(fields.tags),
    };
  return { mode: docreate, ...rename(parseInput(updateForm, fields)), ...parseTags(fields.tags) };
}

function rename<T extends { notekey: string; visibility: Visibility | '' }>({
  notekey,
  visibility,
  ...rest
}: T): Omit<T, 'notekey' | 'visibility'> & { key: string; visibility?: Visibility } {
  return { key: notekey, ...rest, ...(visibility === '' ? {} : { visibility }) };
}

const page = z
  .string({ error: 'must be a whole number from 1' })
  .regex(/^\d{1,6}$/, 'must be a whole number from 1')
  .transform(Number)
  .refine((n) => n >= 1, 'must be a whole number from 1');

/** Checks a `page` query parameter (1-based; 1 when absent); 400 when malformed. */
export function parsePageParam(value: unknown): number {
  if (value === undefined || value === '') return 1;
  return parseInput(page, value, 'page');
}

const listFilter = z.enum(LIST_FILTERS, { error: `must be one of ${LIST_FILTERS.join(', ')}` });

/** Checks the home list's `filter` query parameter ('all' when absent); 400 when unknown. */
export function parseListFilter(value: unknown): ListFilter {
  if (value === undefined || value === '') return 'all';
  return parseInput(listFilter, value, 'filter');
}
