import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type Logger } from '@notes/kit';
import { ipKeyGenerator } from 'express-rate-limit';
import type { CounterStore } from '../limits/counter-store.js';

export interface LoginLimits {
  /** Failures from one address (any username) in the window before its attempts wait. */
  perClient: number;
  /** Failures for one username (from anywhere) before attempts for it from failing addresses wait. */
  perUser: number;
  windowMs: number;
  /** The first wait; each further failure doubles it, up to delayMaxMs. */
  delayBaseMs: number;
  delayMaxMs: number;
}

/** Who tries to sign in: the client address (req.ip, proxies per NOTES_TRUST_PROXY) and the name. */
export interface LoginAttempt {
  address: string;
  username: string;
}

/** Attempts waiting at once per replica: per counter that made them wait, and in all. */
const WAITING_PER_KEY = 2;
const WAITING_MAX = 100;

const tooMany = () =>
  new AppError('too_many_requests', 'Too many login attempts at once; wait a few seconds and try again');

/**
 * Failed logins slow guessing down without ever locking anyone out (README "Login limits").
 *
 * Three counters of failures in the window, shared by every replica (CounterStore): per address,
 * per username, per (address, username). An attempt from an address that has not been failing (no
 * failure for this name, fewer than perClient in all) is checked at once, so a correct password from
 * there always gets through. Otherwise it waits before the secret is checked: base·2^k, capped, where
 * k counts the failures beyond perClient (address) or perUser (username). Waits never refuse; only
 * more than WAITING_PER_KEY attempts waiting on one counter (or WAITING_MAX in all) on a replica
 * are answered 429 at once, which bounds what waiting costs.
 *
 * Password and second-factor checks share it: `admit` before checking, then `failed` or `succeeded`.
 */
export class LoginLimiter {
  private readonly waiting = new Map<string, number>();
  private waitingTotal = 0;

  constructor(
    private readonly store: CounterStore,
    private readonly limits: LoginLimits,
    private readonly logger: Logger,
  ) {}

  private keys(attempt: LoginAttempt) {
    const address = ipKeyGenerator(attempt.address || 'unknown');
    const name = attempt.username.trim().toLowerCase();
    return { address: `login:a:${address}`, user: `login:u:${name}`, pair: `login:p:${address}|${name}` };
  }

  private backoff(failures: number, allowed: number): number {
    if (failures < allowed) return 0;
    const { delayBaseMs, delayMaxMs } = this.limits;
    return Math.min(delayMaxMs, delayBaseMs * 2 ** Math.min(failures - allowed, 30));
  }

  /** How long `attempt` must wait before its secret is checked, and which counter says so. */
  async delayFor(attempt: LoginAttempt): Promise<{ delayMs: number; key: string }> {
    const keys = this.keys(attempt);
    const [byAddress = 0, byUser = 0, byPair = 0] = await this.read([keys.address, keys.user, keys.pair]);
    const failing = byAddress >= this.limits.perClient || byPair > 0;
    const address = this.backoff(byAddress, this.limits.perClient);
    const user = failing ? this.backoff(byUser, this.limits.perUser) : 0;
    return address >= user ? { delayMs: address, key: keys.address } : { delayMs: user, key: keys.user };
  }

  /**
   * Waits as long as `delayFor` says; 429 when too many attempts already wait (503 if the store
   * fails). Resolves false when `signal` aborts the wait (the client left): check nothing then.
   */
  async admit(attempt: LoginAttempt, signal?: AbortSignal): Promise<boolean> {
    const { delayMs, key } = await this.delayFor(attempt);
    if (delayMs === 0) return true;
    const mine = this.waiting.get(key) ?? 0;
    if (mine >= WAITING_PER_KEY || this.waitingTotal >= WAITING_MAX) throw tooMany();
    this.waiting.set(key, mine + 1);
    this.waitingTotal++;
    this.logger.info({ delayMs, by: key.startsWith('login:a:') ? 'address' : 'username' }, 'login delayed');
    try {
      await sleep(delayMs, undefined, signal ? { signal } : {});
      return true;
    } catch (err) {
      if (signal?.aborted) return false;
      throw err;
    } finally {
      this.waitingTotal--;
      const left = (this.waiting.get(key) ?? 1) - 1;
      if (left > 0) this.waiting.set(key, left);
      else this.waiting.delete(key);
    }
  }

  /** A wrong password or second-factor code: counts on all three counters. */
  async failed(attempt: LoginAttempt): Promise<void> {
    const keys = this.keys(attempt);
    try {
      await Promise.all(
        [keys.address, keys.user, keys.pair].map((k) => this.store.hit(k, this.limits.windowMs)),
      );
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'failed login not counted: limit store unavailable');
    }
  }

  /** A complete sign-in: this address is in good standing for this name again. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    try {
      await this.store.clear([this.keys(attempt).pair]);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'login counter not cleared: limit store unavailable');
    }
  }

  private async read(names: string[]): Promise<number[]> {
    try {
      return await this.store.counts(names);
    } catch (err) {
      throw AppError.unavailable('Logins are unavailable for a moment; try again shortly', err);
    }
  }
}
