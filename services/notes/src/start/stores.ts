import { type Logger, openDatabase, readyDatabase, StartupError } from '@notes/kit';
import { createClient } from 'redis';
import type { Sequelize } from 'sequelize';
import type { NotesConfig } from '../config.js';
import { migrations } from '../db/migrations.js';
import { databaseSessionStore, redisSessionStore, type SessionStore } from '../http/session-store.js';

type RedisClient = ReturnType<typeof createClient>;

/** What svc-notes keeps its state in, opened and ready. */
export interface NotesStores {
  db: Sequelize;
  /** Present when NOTES_REDIS_URL is set: one client for sessions, two for Socket.IO fan-out. */
  redis?: { main: RedisClient; pub: RedisClient; sub: RedisClient };
  sessions: SessionStore;
  /** Closes everything opened, last first. */
  close(): Promise<void>;
}

export interface StoreOptions {
  dbLogging?: (sql: string) => void;
  startupTimeoutMs?: number;
}

/** The refusals of the notes database, for start-up and the migrate command alike. */
export const NOTES_DB_MESSAGES = {
  unreachable: 'the notes database is not reachable (NOTES_DB_URL)',
  pending: (names: string[]) =>
    `the notes database needs migrations (${names.join(', ')}): run the migrate command or set NOTES_MIGRATE_ON_START=true`,
};

async function connectRedis(url: string, logger: Logger): Promise<RedisClient> {
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 3000) },
  });
  client.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error'));
  try {
    await client.connect();
  } catch {
    throw new StartupError('Redis is not reachable (NOTES_REDIS_URL)');
  }
  return client;
}

/**
 * Opens the database (waits for it, then migrates or refuses while migrations are pending), the
 * Redis clients and the session store. On failure, whatever was opened is closed again.
 */
export async function openStores(
  config: NotesConfig,
  logger: Logger,
  options: StoreOptions = {},
): Promise<NotesStores> {
  const opened: Array<() => Promise<unknown> | unknown> = [];
  const close = async () => {
    for (const step of opened.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'close step failed');
      }
    }
  };
  try {
    const db = openDatabase({
      url: config.NOTES_DB_URL,
      password: config.NOTES_DB_PASSWORD,
      ...(options.dbLogging ? { logging: options.dbLogging } : {}),
    });
    opened.push(() => db.close());
    await readyDatabase(db, {
      migrations,
      migrate: config.NOTES_MIGRATE_ON_START,
      timeoutMs: options.startupTimeoutMs ?? 30_000,
      logger,
      messages: NOTES_DB_MESSAGES,
    });

    let redis: NotesStores['redis'];
    if (config.NOTES_REDIS_URL) {
      const clients: RedisClient[] = [];
      for (let i = 0; i < 3; i++) {
        const client = await connectRedis(config.NOTES_REDIS_URL, logger);
        opened.push(() => client.quit());
        clients.push(client);
      }
      const [main, pub, sub] = clients as [RedisClient, RedisClient, RedisClient];
      redis = { main, pub, sub };
    }

    const sessions: SessionStore = redis
      ? redisSessionStore(redis.main, config.NOTES_REDIS_PREFIX)
      : databaseSessionStore(db, config.NOTES_SESSION_MAX_AGE_HOURS * 3600 * 1000);
    opened.push(() => sessions.close());
    return { db, ...(redis ? { redis } : {}), sessions, close };
  } catch (err) {
    await close();
    throw err;
  }
}
