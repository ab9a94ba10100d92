import { hasControlChars, parseInput } from '@notes/kit';
import { z } from 'zod';
import { NOTE_KEY_PATTERN, NOTE_KEY_RULE, noteKeySchema } from './note-key.js';

export const TITLE_MAX = 200;
export const BODY_MAX = 50_000;

export interface NoteForm {
  mode: 'create' | 'update';
  /** Empty on create means "generate one". */
  key: string;
  title: string;
  body: string;
  /** The version the edit started from (update only). */
  version: number;
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
      .max(BODY_MAX, `must be at most ${BODY_MAX} characters`)
      .refine((v) => !hasControlChars(v, '\t\n\r'), 'must not contain control characters'),
  );

const keyText = field().pipe(z.string().trim());

const createForm = z.object({
  notekey: keyText.refine((v) => v === '' || NOTE_KEY_PATTERN.test(v), `must be ${NOTE_KEY_RULE}`),
  title,
  body,
});

const updateForm = z.object({
  notekey: keyText.pipe(noteKeySchema),
  title,
  body,
  version: field()
    .pipe(z.string().regex(/^\d{1,9}$/, 'must be a whole number'))
    .transform(Number),
});

/** Checks a submitted note form; throws a 400 AppError naming the first bad field. */
export function parseNoteForm(fields: Record<string, unknown>): NoteForm {
  const docreate = parseInput(mode, fields.docreate, 'docreate');
  if (docreate === 'create') return { mode: docreate, version: 0, ...rename(parseInput(createForm, fields)) };
  return { mode: docreate, ...rename(parseInput(updateForm, fields)) };
}

function rename<T extends { notekey: string }>({
  notekey,
  ...rest
}: T): Omit<T, 'notekey'> & { key: string } {
  return { key: notekey, ...rest };
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
