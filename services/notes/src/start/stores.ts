import { FaultLog, type Logger, openDatabase, readyDatabase, StartupError } from '@notes/kit';
import { createClient } from 'redis';
import type { Sequelize } from 'sequelize';
import type { NotesConfig } from '../config.js';
import { migrations } from '../db/migrations.js';
import { type PreparedRead, preparedReads } from '../db/prepared-reads.js';
import { databaseSessionStore, redisSessionStore, type SessionStore } from '../http/session-store.js';

type RedisClient = ReturnType<typeof createClient>;

/** What svc-notes keeps its state in, opened and ready. */
export interface NotesStores {
  db: Sequelize;
  /** Prepared reads of the hot pages, on the same database (db/prepared-reads.ts). */
  reads: PreparedRead;
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

/** How the Redis clients behave while Redis is away: fail fast, reconnect by themselves. */
export const REDIS_FAULT_OPTIONS = {
  /** A command waits at most this long to be sent (then TimeoutError, a 503 for requests). */
  commandTimeoutMs: 1000,
  /** TCP connect attempt limit; a refused connection fails at once anyway. */
  connectTimeoutMs: 2000,
  /** Reconnect back-off: 100 ms doubling to at most 2 s, with jitter, never giving up. */
  reconnectDelayMs: (retries: number) =>
    Math.min(100 * 2 ** Math.min(retries, 5), 2000) + Math.floor(Math.random() * 100),
};

/** The methods of a Redis client that the Socket.IO adapter calls without handling the promise. */
const ADAPTER_UNAWAITED = [
  'publish',
  'sPublish',
  'sendCommand',
  'subscribe',
  'pSubscribe',
  'unsubscribe',
  'pUnsubscribe',
  'sSubscribe',
  'sUnsubscribe',
];

/**
 * Makes every promise of `methods` handled (a rejection is reported to onError) while callers that
 * await it still see the rejection: @socket.io/redis-adapter fires publish/subscribe and forgets,
 * which crashed a replica with an unhandled SocketClosedUnexpectedlyError during a Redis restart.
 */
export function handleRejectionsOf<T extends object>(
  client: T,
  methods: readonly string[],
  onError: (err: unknown, method: string) => void,
): T {
  for (const name of methods) {
    const original = (client as Record<string, unknown>)[name];
    if (typeof original !== 'function') continue;
    Object.defineProperty(client, name, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        const result = (original as (...a: unknown[]) => unknown).apply(client, args);
        if (result instanceof Promise) result.catch((err: unknown) => onError(err, name));
        return result;
      },
    });
  }
  return client;
}

async function connectRedis(
  url: string,
  name: string,
  faults: FaultLog,
  timeoutMs: number,
): Promise<RedisClient> {
  const client = createClient({
    url,
    name: `notes-${name}`,
    // While Redis is away commands fail at once (ClientOfflineError) instead of queueing until
    // it is back: requests answer 503 within the command timeout, then work again by themselves.
    disableOfflineQueue: true,
    commandOptions: { timeout: REDIS_FAULT_OPTIONS.commandTimeoutMs },
    socket: {
      connectTimeout: REDIS_FAULT_OPTIONS.connectTimeoutMs,
      reconnectStrategy: REDIS_FAULT_OPTIONS.reconnectDelayMs,
    },
  });
  client.on('error', (err: Error) =>
    faults.warn('redis', 'redis unavailable', { client: name, err: err.message }),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, fail) => {
        timer = setTimeout(() => fail(new Error('timeout')), timeoutMs);
      }),
    ]);
  } catch {
    client.destroy();
    throw new StartupError('Redis is not reachable (NOTES_REDIS_URL)');
  } finally {
    clearTimeout(timer);
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
    const prepared = preparedReads(db);
    opened.push(() => prepared.close());
    await readyDatabase(db, {
      migrations,
      migrate: config.NOTES_MIGRATE_ON_START,
      timeoutMs: options.startupTimeoutMs ?? 30_000,
      logger,
      messages: NOTES_DB_MESSAGES,
    });

    let redis: NotesStores['redis'];
    if (config.NOTES_REDIS_URL) {
      const faults = new FaultLog(logger);
      const clients: RedisClient[] = [];
      for (const name of ['main', 'pub', 'sub']) {
        const client = await connectRedis(
          config.NOTES_REDIS_URL,
          name,
          faults,
          options.startupTimeoutMs ?? 30_000,
        );
        opened.push(() => (client.isReady ? client.close() : client.destroy()));
        clients.push(client);
      }
      const [main, pub, sub] = clients as [RedisClient, RedisClient, RedisClient];
      const unawaited = (err: unknown, method: string) =>
        faults.warn('redis', 'redis unavailable: live event not sent', {
          method,
          err: (err as Error).message,
        });
      redis = {
        main,
        pub: handleRejectionsOf(pub, ADAPTER_UNAWAITED, unawaited),
        sub: handleRejectionsOf(sub, ADAPTER_UNAWAITED, unawaited),
      };
    }

    const sessions: SessionStore = redis
      ? redisSessionStore(redis.main, config.NOTES_REDIS_PREFIX)
      : databaseSessionStore(db, config.NOTES_SESSION_MAX_AGE_HOURS * 3600 * 1000);
    opened.push(() => sessions.close());
    return { db, reads: prepared.read, ...(redis ? { redis } : {}), sessions, close };
  } catch (err) {
    await close();
    throw err;
  }
}
