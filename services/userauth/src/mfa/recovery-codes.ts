import { createHash, randomInt } from 'node:crypto';

/** No 0/o, 1/l/i: codes are read off paper. 31 symbols, 10 of them per code: about 50 bits. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

/** Ten fresh codes, shown once, as `abcde-fghjk`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What a person typed, as compared: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(typed: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalizeRecoveryCode(typed));
}

/** Stored form: SHA-256 (the codes are random, 50 bits: no salt or slow hash needed). */
export function hashRecoveryCode(typed: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(typed)).digest('hex');
}
