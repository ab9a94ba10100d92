import { AppError } from '@notes/kit';
import { Secret, TOTP } from 'otpauth';
import type { MfaCheck, MfaEnrolment, MfaStatus } from '../client/types.js';
import type { UserService } from '../users/user-service.js';
import type { SecretBox } from './mfa-crypto.js';
import type { MfaRepository } from './mfa-repository.js';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes.js';

export const NOT_CONFIGURED = 'Second factors are not configured on this server (USERAUTH_MFA_KEY)';
const WRONG = 'Incorrect code';
const REPLAYED = 'That code was used already: wait for the next one';

export interface MfaOptions {
  /** The issuer shown in authenticator apps. */
  issuer: string;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

export type MfaService = ReturnType<typeof createMfaService>;

/**
 * TOTP second factors (RFC 6238: SHA-1, 6 digits, 30 s; codes of the step before and after are
 * accepted for clock drift). Each time step is accepted once: a code seen already, or one older
 * than the last accepted, is refused (the step is recorded by compare and set, so two requests
 * racing with one code cannot both pass). Recovery codes work once each. The secret is stored
 * sealed with USERAUTH_MFA_KEY; without that key nothing can be enrolled or checked (503).
 */
export function createMfaService(
  repo: MfaRepository,
  users: UserService,
  box: SecretBox | undefined,
  options: MfaOptions,
) {
  const now = options.now ?? Date.now;
  const sealer = () => {
    if (!box) throw AppError.unavailable(NOT_CONFIGURED);
    return {
      seal: box.seal,
      open(sealed: string, owner: string): string {
        try {
          return box.open(sealed, owner);
        } catch (err) {
          throw AppError.unavailable(
            'The stored second factor cannot be read with this USERAUTH_MFA_KEY',
            err,
          );
        }
      },
    };
  };
  const totpOf = (username: string, base32: string) =>
    new TOTP({
      issuer: options.issuer,
      label: username,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: Secret.fromBase32(base32),
    });
  /** The time step a TOTP code belongs to, or null when it is not a current code. */
  const stepOf = (totp: TOTP, typed: string): number | null => {
    const token = typed.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) return null;
    const timestamp = now();
    const delta = totp.validate({ token, timestamp, window: 1 });
    return delta === null ? null : totp.counter({ timestamp }) + delta;
  };
  const enrolment = (username: string, base32: string): MfaEnrolment => ({
    secret: base32,
    uri: totpOf(username, base32).toString(),
  });

  return {
    async status(username: string): Promise<MfaStatus> {
      await users.find(username);
      const mfa = await repo.find(username);
      return {
        available: box !== undefined,
        enabled: mfa?.confirmed ?? false,
        pending: mfa ? !mfa.confirmed : false,
        recoveryCodesLeft: mfa?.confirmed ? mfa.recoveryCodes.length : 0,
      };
    },

    /** The pending enrolment (a new one when there is none, or when `restart`); 409 once enabled. */
    async enrol(username: string, restart: boolean): Promise<MfaEnrolment> {
      const seal = sealer();
      await users.find(username);
      const mfa = await repo.find(username);
      if (mfa?.confirmed) throw AppError.conflict('a second factor is enabled already: disable it first');
      if (mfa && !restart) return enrolment(username, seal.open(mfa.secret, username));
      const base32 = new Secret({ size: 20 }).base32;
      await repo.savePending(username, seal.seal(base32, username));
      return enrolment(username, base32);
    },

    /** The first code from the app turns the pending enrolment on; the recovery codes, shown once. */
    async confirm(username: string, code: string): Promise<{ recoveryCodes: string[] }> {
      const seal = sealer();
      await users.find(username);
      const mfa = await repo.find(username);
      if (!mfa || mfa.confirmed) throw AppError.conflict('there is no enrolment waiting for a code');
      const step = stepOf(totpOf(username, seal.open(mfa.secret, username)), code);
      if (step === null) throw AppError.invalid('code', 'is not the current code of your app');
      const recoveryCodes = newRecoveryCodes();
      if (!(await repo.confirm(username, step, recoveryCodes.map(hashRecoveryCode))))
        throw AppError.conflict('there is no enrolment waiting for a code');
      return { recoveryCodes };
    },

    /** A TOTP code (once per time step) or an unused recovery code (then used up). */
    async verify(username: string, code: string): Promise<MfaCheck> {
      const mfa = await repo.find(username);
      if (!mfa?.confirmed) return { check: false, username, message: 'No second factor is enabled' };
      const seal = sealer();
      const step = stepOf(totpOf(username, seal.open(mfa.secret, username)), code);
      if (step !== null) {
        if (await repo.useStep(username, step))
          return { check: true, username, method: 'totp', recoveryCodesLeft: mfa.recoveryCodes.length };
        return { check: false, username, message: REPLAYED };
      }
      if (looksLikeRecoveryCode(code) && (await repo.useRecoveryCode(username, hashRecoveryCode(code))))
        return { check: true, username, method: 'recovery', recoveryCodesLeft: mfa.recoveryCodes.length - 1 };
      return { check: false, username, message: WRONG };
    },

    /** Turns the second factor off (the user's own choice, or `userauth reset-mfa`). */
    async disable(username: string): Promise<{ removed: boolean }> {
      await users.find(username);
      return { removed: await repo.remove(username) };
    },
  };
}
