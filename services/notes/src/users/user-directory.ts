import { AppError } from '@notes/kit';
import type { User, UserauthClient } from '@notes/userauth/client';
import type { SessionUser } from './session-user.js';

/** What a visitor reads when svc-userauth cannot be asked (no internal address, no driver text). */
export const ACCOUNT_SERVICE_UNAVAILABLE = 'The account service is unavailable, try again';

export function toSessionUser(user: User): SessionUser {
  const name = [user.givenName, user.familyName].filter(Boolean).join(' ').trim();
  return { username: user.username, displayName: name || user.username };
}

/**
 * User look-ups through svc-userauth, cached for `ttlMs` so that a page view does not cost a REST
 * call. Unknown users are cached too (as null). Failures (unavailable) are never cached: while
 * svc-userauth is away, a user looked up before is served from the last good answer however old
 * (stale-while-unavailable), so signed-in people keep working; one never seen gets a 503.
 */
export class UserDirectory {
  private readonly cache = new Map<string, { user: SessionUser | null; until: number }>();

  constructor(
    private readonly client: UserauthClient,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async find(username: string): Promise<SessionUser | null> {
    const now = Date.now();
    const hit = this.cache.get(username);
    if (hit && hit.until > now) return hit.user;
    let found: User | null;
    try {
      found = await this.client.findOrNull(username);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'unavailable')) throw err;
      if (hit) return hit.user;
      throw AppError.unavailable(ACCOUNT_SERVICE_UNAVAILABLE, err);
    }
    const user = found ? toSessionUser(found) : null;
    this.store(username, user, now);
    return user;
  }

  /** Remembers a user just verified by a password check. */
  remember(user: SessionUser): void {
    this.store(user.username, user, Date.now());
  }

  private store(username: string, user: SessionUser | null, now: number): void {
    // Re-inserting keeps the map in least-recently-refreshed order; the oldest go first when full.
    this.cache.delete(username);
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(username, { user, until: now + this.ttlMs });
  }
}
