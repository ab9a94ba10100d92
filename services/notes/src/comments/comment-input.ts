import { hasControlChars, parseInput } from '@notes/kit';
import { z } from 'zod';

export const MESSAGE_MAX = 2000;

const message = z
  .string({ error: 'must be text' })
  .transform((v) => v.replace(/\r\n/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1, { error: 'is required', abort: true })
      .max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`)
      .refine((v) => !hasControlChars(v, '\t\n\r'), 'must not contain control characters'),
  );

const commentId = z
  .number({ error: 'must be a positive whole number' })
  .refine((v) => Number.isSafeInteger(v) && v >= 1, 'must be a positive whole number');

export function parseMessage(value: unknown): string {
  return parseInput(message, value, 'message');
}

export function parseCommentId(value: unknown, field = 'id'): number {
  return parseInput(commentId, value, field);
}
