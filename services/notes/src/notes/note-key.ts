import { randomBytes } from 'node:crypto';

export const NOTE_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const NOTE_KEY_RULE = '1-64 characters: letters, digits, "-" or "_"';

/** A fresh URL-safe key (12 characters, 72 random bits). */
export function generateNoteKey(): string {
  return randomBytes(9).toString('base64url');
}

export function isNoteKey(value: unknown): value is string {
  return typeof value === 'string' && NOTE_KEY_PATTERN.test(value);
}
