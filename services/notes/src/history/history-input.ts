import { parseInput } from '@notes/kit';
import { z } from 'zod';

const revisionNumber = z
  .string({ error: 'must be a revision number' })
  .min(1, { error: 'is required', abort: true })
  .regex(/^\d{1,9}$/, 'must be a revision number (a whole number from 1)')
  .transform(Number)
  .refine((n) => n >= 1, 'must be a revision number (a whole number from 1)');

/** A revision number from a query parameter or form field; a 400 naming `field` when malformed. */
export function parseRevisionNumber(value: unknown, field: string): number {
  return parseInput(revisionNumber, value, field);
}

/** An optional revision number (absent or empty = undefined). */
export function parseOptionalRevisionNumber(value: unknown, field: string): number | undefined {
  return value === undefined || value === '' ? undefined : parseRevisionNumber(value, field);
}
