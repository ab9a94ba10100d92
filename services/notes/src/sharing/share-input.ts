import { parseInput } from '@notes/kit';
import { z } from 'zod';
import { NOTE_KEY_PATTERN, NOTE_KEY_RULE } from '../notes/note-key.js';
import { GRANT_ROLES, type GrantRole } from '../notes/note-policy.js';

/** svc-userauth's rule for user names (DESIGN 4.3): 1-64 letters, digits and . _ @ - */
const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

const text = () =>
  z
    .string({ error: 'must be a single text value' })
    .optional()
    .transform((v) => (v ?? '').trim());

const key = text().pipe(
  z
    .string()
    .min(1, { error: 'is required', abort: true })
    .regex(NOTE_KEY_PATTERN, `must be ${NOTE_KEY_RULE}`),
);

const username = text().pipe(
  z
    .string()
    .min(1, { error: 'is required', abort: true })
    .regex(USERNAME_PATTERN, "must be 1-64 letters, digits, '.', '_', '@' or '-'"),
);

const role = text().pipe(z.enum(GRANT_ROLES, { error: `must be one of ${GRANT_ROLES.join(', ')}` }));

const shareForm = z.object({ key, username, role });
const unshareForm = z.object({ key, username });

export interface ShareForm {
  key: string;
  username: string;
  role: GrantRole;
}

/** Checks `POST /notes/share` (`key`, `username`, `role`); 400 naming the first bad field. */
export function parseShareForm(fields: Record<string, unknown>): ShareForm {
  return parseInput(shareForm, fields);
}

/** Checks `POST /notes/unshare` (`key`, `username`); 400 naming the first bad field. */
export function parseUnshareForm(fields: Record<string, unknown>): { key: string; username: string } {
  return parseInput(unshareForm, fields);
}
