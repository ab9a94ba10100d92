import { hasControlChars, parseInput } from '@notes/kit';
import { z } from 'zod';

const name = z
  .string()
  .trim()
  .max(100, 'must be at most 100 characters')
  .refine((v) => !hasControlChars(v), 'must not contain control characters');

const profileForm = z.object({
  givenName: name.default(''),
  familyName: name.default(''),
  email: z
    .string()
    .trim()
    .max(254, 'must be at most 254 characters')
    .refine((v) => v === '' || z.email().safeParse(v).success, 'must be an e-mail address')
    .default(''),
});

const passwordForm = z.object({
  current: z.string({ error: 'is required' }).min(1, 'is required').max(1000, 'is too long'),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(1000, 'is too long'),
  confirm: z.string({ error: 'is required' }).max(1000, 'is too long'),
});

const codeForm = z.object({
  code: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(64, 'must be at most 64 characters'),
});

/** Field names as the profile page labels them. */
const LABELS: Record<string, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  email: 'E-mail',
  current: 'Current password',
  password: 'New password',
  confirm: 'New password again',
  code: 'Code',
};

/** "givenName: must…" → "Given name: must…" */
export function labelled(message: string): string {
  const colon = message.indexOf(':');
  const field = colon < 0 ? '' : message.slice(0, colon);
  return LABELS[field] ? `${LABELS[field]}${message.slice(colon)}` : message;
}

export const parseProfile = (body: unknown) => parseInput(profileForm, body ?? {});
export const parsePasswordChange = (body: unknown) => parseInput(passwordForm, body ?? {});
export const parseCode = (body: unknown) => parseInput(codeForm, body ?? {}).code;
