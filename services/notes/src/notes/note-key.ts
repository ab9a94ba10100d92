import { randomBytes } from 'node:crypto';
import { AppError } from '@notes/kit';

export const NOTE_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const NOTE_KEY_RULE = '1-64 characters: letters, digits, "-" or "_"';

/** A fresh URL-safe key (12 characters, 72 random bits). */
export function generateNoteKey(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The one check of a note key, wherever it comes from (query parameter, form field, socket payload):
 * a 400 AppError naming `field` when it is missing, not a single text value, or malformed.
 */
export function parseNoteKey(value: unknown, field = 'key'): string {
  if (value === undefined || value === '') throw AppError.invalid(field, 'is required');
  if (typeof value !== 'string') throw AppError.invalid(field, 'must be a single value');
  if (!NOTE_KEY_PATTERN.test(value)) throw AppError.invalid(field, `must be ${NOTE_KEY_RULE}`);
  return value;
}
