import type { User, UserauthClient } from '@notes/userauth/client';
import type { SessionUser } from './session-user.js';

function toSessionUser(user: User): SessionUser {
  const name = [user.givenName, user.familyName].filter(Boolean).join(' ').trim();
  return { username: user.username, displayName: name || user.username };
}

/**
 * User look-ups through svc-userauth, cached briefly so that a page view does not cost a REST call.
 * Unknown users are cached too (as null). Failures (unavailable) are not cached.
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
    const found = await this.client.findOrNull(username);
    const user = found ? toSessionUser(found) : null;
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(username, { user, until: now + this.ttlMs });
    return user;
  }

  /** Remembers a user just verified by a password check. */
  remember(user: SessionUser): void {
    this.cache.set(user.username, { user, until: Date.now() + this.ttlMs });
  }
}
