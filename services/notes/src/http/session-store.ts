import { createRequire } from 'node:module';
import { RedisStore } from 'connect-redis';
import session, { type Store } from 'express-session';
import type { Sequelize } from 'sequelize';

const require = createRequire(import.meta.url);
const initSequelizeStore = require('connect-session-sequelize') as (
  store: typeof session.Store,
) => new (options: {
  db: Sequelize;
  tableName?: string;
  modelKey?: string;
  checkExpirationInterval?: number;
  expiration?: number;
  disableTouch?: boolean;
}) => Store & { stopExpiringSessions(): void };

export interface SessionStore {
  store: Store;
  /** Stops timers; the underlying connection is closed by its owner. */
  close(): void;
}

/**
 * Sessions in Redis (shared by every replica). Each key expires with its cookie (set when the
 * session is saved), so there is nothing to touch: no Redis write per page view, and no failed
 * touch while Redis restarts, which express-session reports only after the page's headers are out
 * and which therefore cut the connection instead of answering 503. Sessions slide by being saved
 * again once per interval (session-refresh.ts).
 */
export function redisSessionStore(client: unknown, prefix: string): SessionStore {
  return {
    store: new RedisStore({ client, prefix: `${prefix}:sess:`, disableTouch: true }),
    close: () => {},
  };
}

type Loaded = session.SessionData | null | undefined;

/**
 * Sessions in the notes database (table `sessions`, made by migration 003), so they survive
 * restarts. No touch (an UPDATE per page view): like Redis's, a row's expiry moves when the session
 * is saved (session-refresh.ts). A row past its expiry is no session, also before the purge that
 * runs every 15 minutes deletes it.
 */
export function databaseSessionStore(db: Sequelize, maxAgeMs: number): SessionStore {
  const SequelizeStore = initSequelizeStore(session.Store);
  const store = new SequelizeStore({
    db,
    tableName: 'sessions',
    modelKey: 'Session',
    expiration: maxAgeMs,
    checkExpirationInterval: 15 * 60 * 1000,
    disableTouch: true,
  });
  const get = store.get.bind(store);
  store.get = (sid, done) =>
    get(sid, (err: unknown, data: Loaded) => {
      const expires = data?.cookie?.expires;
      const expired = expires !== undefined && expires !== null && new Date(expires).getTime() <= Date.now();
      done(err, expired ? null : data);
    });
  return { store, close: () => store.stopExpiringSessions() };
}
