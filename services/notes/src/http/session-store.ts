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
}) => Store & { stopExpiringSessions(): void };

export interface SessionStore {
  store: Store;
  /** Stops timers; the underlying connection is closed by its owner. */
  close(): void;
}

/**
 * Sessions in Redis (shared by every replica). Each key expires with its cookie (set when the
 * session is saved; the cookie is not rolling), so there is nothing to touch: no Redis write per
 * page view, and no failed touch while Redis restarts, which express-session reports only after
 * the page's headers are out and which therefore cut the connection instead of answering 503.
 */
export function redisSessionStore(client: unknown, prefix: string): SessionStore {
  return {
    store: new RedisStore({ client, prefix: `${prefix}:sess:`, disableTouch: true }),
    close: () => {},
  };
}

/** Sessions in the notes database (table `sessions`, made by migration 003), so they survive restarts. */
export function databaseSessionStore(db: Sequelize, maxAgeMs: number): SessionStore {
  const SequelizeStore = initSequelizeStore(session.Store);
  const store = new SequelizeStore({
    db,
    tableName: 'sessions',
    modelKey: 'Session',
    expiration: maxAgeMs,
    checkExpirationInterval: 15 * 60 * 1000,
  });
  return { store, close: () => store.stopExpiringSessions() };
}
