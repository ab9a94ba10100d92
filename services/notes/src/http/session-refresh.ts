import type { RequestHandler } from 'express';

declare module 'express-session' {
  interface SessionData {
    /** When a request last saved the session only to make it slide (refreshSessions). */
    refreshedAt?: number;
  }
}

/**
 * Sessions slide without a store write per request: a request that comes `intervalMs` or more
 * after the session was last saved changes it (`refreshedAt`), so express-session saves it (the
 * store's expiry starts over: Redis SET with the new TTL, the database row's `expires`) and sends
 * the cookie again with the new Expires; every other request writes nothing, nor re-sends the
 * cookie (the stores do no per-request touch: session-store.ts). A session unused for its whole
 * max age still expires, in the store and in the browser.
 *
 * When it was last saved is what the stored cookie says: its expiry minus its max age. Runs right
 * after express-session, for requests that have a session.
 */
export function refreshSessions(intervalMs: number): RequestHandler {
  return (req, _res, next) => {
    const cookie = req.session?.cookie;
    const maxAge = cookie?.originalMaxAge;
    const expires = cookie?.expires;
    if (req.session && expires instanceof Date && typeof maxAge === 'number') {
      const now = Date.now();
      if (now - (expires.getTime() - maxAge) >= intervalMs) req.session.refreshedAt = now;
    }
    next();
  };
}
