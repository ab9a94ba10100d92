// Subpaths, not the kit's index (which loads the database layer): the CLI loads this file too.
import { AppError } from '@notes/kit/errors';
import { hasControlChars } from '@notes/kit/text';
import { parseInput } from '@notes/kit/validation';
import { z } from 'zod';
import { passwordProblem } from './password-rules.js';
import type { NewUser, UserChanges } from './user.js';

/**
 * Input rules (the REST API and the CLI share them through the API):
 * - username: 1-64 characters of letters, digits and . _ @ - (so e-mail-like names work and a
 *   name is always safe in a URL path, a log line and HTML); case-sensitive.
 * - password: 8 characters to 72 bytes (bcrypt ignores anything past 72 bytes, so longer ones are
 *   refused rather than silently truncated), or a complete bcrypt hash, stored as is.
 * - provider: 1-50 characters of letters, digits and . _ -; default "local".
 * - familyName/givenName/middleName: at most 100 characters, no control characters.
 * - emails: at most 10 addresses (254 characters each); photos: at most 10 http(s) URLs (2048).
 *   update-user also takes addEmails / removeEmails (not together with emails): the list changed
 *   in place, addresses compared without regard to case.
 * Unknown fields are refused (a typo must not be silently ignored). Errors name the field.
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]+$/;

export const usernameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(USERNAME_PATTERN, "may contain only letters, digits, '.', '_', '@' and '-'");

const passwordSchema = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const nameSchema = z
  .string()
  .max(100, 'must be at most 100 characters')
  .refine((v) => !hasControlChars(v), 'must not contain control characters');

const providerSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(50, 'must be at most 50 characters')
  .regex(/^[A-Za-z0-9._-]+$/, "may contain only letters, digits, '.', '_' and '-'");

const emailSchema = z
  .string()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an e-mail address'));

const photoSchema = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const fields = {
  password: passwordSchema.optional(),
  provider: providerSchema.optional(),
  familyName: nameSchema.optional(),
  givenName: nameSchema.optional(),
  middleName: nameSchema.optional(),
  emails: z.array(emailSchema).max(10, 'must have at most 10 items').optional(),
  photos: z.array(photoSchema).max(10, 'must have at most 10 items').optional(),
};

const newUserSchema = z.strictObject({ username: usernameSchema, ...fields });

const emailListSchema = z.array(emailSchema).max(10, 'must have at most 10 items');

const changesSchema = z
  .strictObject({
    username: z.string().optional(),
    ...fields,
    addEmails: emailListSchema.optional(),
    removeEmails: emailListSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.emails !== undefined && (c.addEmails !== undefined || c.removeEmails !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['emails'],
        message: 'replaces the list: give it without addEmails or removeEmails',
      });
  });

const passwordCheckSchema = z.strictObject({
  username: usernameSchema,
  password: z.string().max(1024, 'must be at most 1024 characters'),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw AppError.invalid('body', 'must be a JSON object');
  return parseInput(schema, input);
}

export function parseUsername(value: unknown): string {
  return parseInput(usernameSchema, value, 'username');
}

export function parseNewUser(body: unknown): NewUser {
  const u = parse(newUserSchema, body);
  return {
    username: u.username,
    password: u.password,
    provider: u.provider ?? 'local',
    familyName: u.familyName ?? '',
    givenName: u.givenName ?? '',
    middleName: u.middleName ?? '',
    emails: u.emails ?? [],
    photos: u.photos ?? [],
  };
}

/** The body of update-user; `username`, if given, must be the one in the path (no renames). */
export function parseChanges(body: unknown, username: string): UserChanges {
  const { username: named, ...changes } = parse(changesSchema, body);
  if (named !== undefined && named !== username) throw AppError.invalid('username', 'cannot be changed');
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as UserChanges;
}

export function parsePasswordCheck(body: unknown): { username: string; password: string } {
  return parse(passwordCheckSchema, body);
}
