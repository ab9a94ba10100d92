import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** AES-256-GCM for TOTP secrets, keyed from USERAUTH_MFA_KEY (any ≥ 32-character secret, via HKDF). */
export interface SecretBox {
  seal(plain: string, owner: string): string;
  open(sealed: string, owner: string): string;
}

export function createSecretBox(masterKey: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'notes-userauth-mfa-v1', 32));
  return {
    /** `v1:` + base64(iv | tag | ciphertext); the owner's username is bound in as associated data. */
    seal(plain, owner) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(owner, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    /** Throws when the key is not the one that sealed it or the text was changed (or moved to another user). */
    open(sealed, owner) {
      if (!sealed.startsWith(`${VERSION}:`)) throw new Error('unknown secret format');
      const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(owner, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
