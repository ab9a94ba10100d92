import { AppError } from '@notes/kit';
import type { Visitor } from '../notes/note-policy.js';

/** A socket request's payload must be an object; 400 otherwise. */
export function payloadObject(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object') throw AppError.invalid('payload', 'must be an object');
  return value as Record<string, unknown>;
}

/** The signed-in visitor of a socket request; 401 with `message` for anonymous ones. */
export function signedIn(visitor: Visitor, message: string): { username: string } {
  if (!visitor) throw AppError.unauthorized(message);
  return visitor;
}
