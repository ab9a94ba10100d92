import { randomBytes } from 'node:crypto';
import { parseInput } from '@notes/kit';
import { z } from 'zod';

export const NOTE_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const NOTE_KEY_RULE = '1-64 characters: letters, digits, "-" or "_"';

/** A fresh URL-safe key (12 characters, 72 random bits). */
export function generateNoteKey(): string {
  return randomBytes(9).toString('base64url');
}

/** A note key, wherever it comes from (query parameter, form field, socket payload). */
export const noteKeySchema = z
  .string({ error: 'must be a single value' })
  .min(1, { error: 'is required', abort: true })
  .regex(NOTE_KEY_PATTERN, `must be ${NOTE_KEY_RULE}`);

/** The one check of a note key: a 400 AppError naming `field` when it is missing or malformed. */
export function parseNoteKey(value: unknown, field = 'key'): string {
  return parseInput(noteKeySchema, value, field);
}
