import { AppError } from '@notes/kit';
import { hasControlChars } from '../text/control-chars.js';

export const MESSAGE_MAX = 2000;

export function parseMessage(value: unknown): string {
  if (typeof value !== 'string') throw AppError.invalid('message', 'must be text');
  const message = value.replace(/\r\n/g, '\n').trim();
  if (message === '') throw AppError.invalid('message', 'is required');
  if (message.length > MESSAGE_MAX)
    throw AppError.invalid('message', `must be at most ${MESSAGE_MAX} characters`);
  if (hasControlChars(message)) throw AppError.invalid('message', 'must not contain control characters');
  return message;
}

export function parseCommentId(value: unknown, field = 'id'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw AppError.invalid(field, 'must be a positive whole number');
  return value;
}
