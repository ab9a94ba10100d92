import { parseInput } from '@notes/kit';
import { z } from 'zod';

const id = z
  .string({ error: 'must be the number of a note in the trash' })
  .regex(/^\d{1,9}$/, 'must be the number of a note in the trash')
  .transform(Number);

/** The `id` of a trashed note (form field or query parameter); a 400 naming it when malformed. */
export function parseTrashId(value: unknown): number {
  return parseInput(id, value, 'id');
}

/** An optional `id` (absent or empty: undefined, i.e. the whole trash). */
export function parseOptionalTrashId(value: unknown): number | undefined {
  return value === undefined || value === '' ? undefined : parseTrashId(value);
}
