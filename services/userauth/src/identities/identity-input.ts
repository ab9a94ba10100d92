import { AppError } from '@notes/kit/errors';
import { hasControlChars } from '@notes/kit/text';
import { parseInput } from '@notes/kit/validation';
import { z } from 'zod';
import type { ParsedIdentity } from './identity.js';

const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControlChars(v), 'must not contain control characters');

const identitySchema = z.strictObject({
  issuer: z
    .string()
    .max(255, 'must be at most 255 characters')
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL'),
  subject: text(255).min(1, 'must not be empty'),
  /** What the person would like to be called (preferred_username, e-mail…); any text. */
  username: text(254).optional(),
  familyName: text(100).optional(),
  givenName: text(100).optional(),
  emails: z
    .array(z.string().max(254, 'must be at most 254 characters').pipe(z.email('must be an e-mail address')))
    .max(10, 'must have at most 10 items')
    .optional(),
});

/** The body of POST /find-or-create-identity. */
export function parseIdentity(body: unknown): ParsedIdentity {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw AppError.invalid('body', 'must be a JSON object');
  const i = parseInput(identitySchema, body);
  return {
    issuer: i.issuer,
    subject: i.subject,
    username: i.username ?? '',
    familyName: i.familyName ?? '',
    givenName: i.givenName ?? '',
    emails: i.emails ?? [],
  };
}
