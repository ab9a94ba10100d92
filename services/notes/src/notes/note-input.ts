import { AppError } from '@notes/kit';
import { hasControlChars } from '../text/control-chars.js';
import { parseNoteKey } from './note-key.js';

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

type Fields = Record<string, unknown>;

function text(fields: Fields, name: string): string {
  const value = fields[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw AppError.invalid(name, 'must be a single text value');
  return value;
}

/** Checks a submitted note form; throws a 400 AppError naming the first bad field. */
export function parseNoteForm(fields: Fields): NoteForm {
  const docreate = text(fields, 'docreate') || 'create';
  if (docreate !== 'create' && docreate !== 'update')
    throw AppError.invalid('docreate', 'must be create or update');
  const key = text(fields, 'notekey').trim();
  if (docreate === 'update' && key === '') throw AppError.invalid('notekey', 'is required');
  if (key !== '') parseNoteKey(key, 'notekey');
  const title = text(fields, 'title').trim();
  if (title === '') throw AppError.invalid('title', 'is required');
  if (title.length > TITLE_MAX) throw AppError.invalid('title', `must be at most ${TITLE_MAX} characters`);
  if (hasControlChars(title) || /[\r\n]/.test(title))
    throw AppError.invalid('title', 'must be a single line of text');
  const body = text(fields, 'body').replace(/\r\n/g, '\n');
  if (body.length > BODY_MAX) throw AppError.invalid('body', `must be at most ${BODY_MAX} characters`);
  if (hasControlChars(body)) throw AppError.invalid('body', 'must not contain control characters');
  let version = 0;
  if (docreate === 'update') {
    const raw = text(fields, 'version');
    if (!/^\d{1,9}$/.test(raw)) throw AppError.invalid('version', 'must be a whole number');
    version = Number(raw);
  }
  return { mode: docreate, key, title, body, version };
}

/** Checks a `page` query parameter (1-based); 400 when malformed. */
export function parsePageParam(value: unknown): number {
  if (value === undefined || value === '') return 1;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value) || Number(value) < 1)
    throw AppError.invalid('page', 'must be a whole number from 1');
  return Number(value);
}
