import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { isBcryptHash, MAX_PASSWORD_BYTES } from './password-rules.js';

export type Passwords = ReturnType<typeof createPasswords>;

export function createPasswords(cost: number) {
  let dummy: Promise<string> | undefined;
  const dummyHash = () => {
    dummy ??= bcrypt.hash(randomBytes(18).toString('base64'), cost);
    return dummy;
  };
  return {
    /** A plain password is hashed; a bcrypt hash is kept as it is. */
    async toHash(password: string): Promise<string> {
      return isBcryptHash(password) ? password : bcrypt.hash(password, cost);
    },

    /**
     * Compares in roughly constant time whatever the case: an unknown user or one without a
     * password is compared against a dummy hash of the same cost, so timing does not tell.
     */
    async verify(password: string, hash: string | null | undefined): Promise<boolean> {
      const usable =
        typeof hash === 'string' &&
        isBcryptHash(hash) &&
        password.length > 0 &&
        Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES;
      const ok = await bcrypt.compare(password, usable ? hash : await dummyHash());
      return usable && ok;
    },

    /** Computes the dummy hash ahead of the first check. */
    warmUp: () => dummyHash().then(() => undefined),
  };
}
