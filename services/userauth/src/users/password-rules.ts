/** The rules of a password, without bcrypt itself (the CLI checks them before it asks again). */

/** A complete bcrypt hash ($2a$/$2b$/$2y$, cost 04-31): stored as is (imports, older clients). */
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;

/** bcrypt only looks at the first 72 bytes; longer plain passwords are refused, not truncated. */
export const MAX_PASSWORD_BYTES = 72;

export function isBcryptHash(value: string): boolean {
  return BCRYPT_HASH.test(value);
}

/**
 * What is wrong with a new password, or undefined: 8 characters to 72 bytes, or a bcrypt hash.
 * The one rule, used by the input schema and by the CLI before it asks for the password again.
 */
export function passwordProblem(value: string): string | undefined {
  if (isBcryptHash(value)) return undefined;
  if (value.length < 8) return 'must be at least 8 characters';
  if (Buffer.byteLength(value, 'utf8') > MAX_PASSWORD_BYTES)
    return `must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8)`;
  return undefined;
}
