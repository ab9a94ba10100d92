import { createServer, type Server as HttpServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  closeHttpServer,
  databaseReachable,
  type Logger,
  migrateUp,
  openDatabase,
  waitForDatabase,
} from '@notes/kit';
import { UserauthClient } from '@notes/userauth/client';
import { createClient } from 'redis';
import type { Sequelize } from 'sequelize';
import { createApp } from './app.js';
import { createPassport } from './auth/passport-setup.js';
import { CommentRepository } from './comments/comment-repository.js';
import { CommentService } from './comments/comment-service.js';
import type { NotesConfig } from './config.js';
import { migrations } from './db/migrations.js';
import { pendingMigrations } from './db/pending-migrations.js';
import { createSessionMiddleware } from './http/session.js';
import { databaseSessionStore, redisSessionStore, type SessionStore } from './http/session-store.js';
import { NoteRepository } from './notes/note-repository.js';
import { NoteService } from './notes/note-service.js';
import { Broadcaster } from './realtime/broadcaster.js';
import { setupNotesNamespace } from './realtime/notes-namespace.js';
import { createSocketServer } from './realtime/socket-server.js';
import { UserDirectory } from './users/user-directory.js';

export interface NotesServer {
  url: string;
  port: number;
  db: Sequelize;
  http: HttpServer;
  /** Stops accepting, closes sockets, then the stores. */
  close(): Promise<void>;
}

export class StartupError extends Error {}

type RedisClient = ReturnType<typeof createClient>;

async function awaitDatabase(db: Sequelize, logger: Logger, timeoutMs: number): Promise<void> {
  const reachable = await waitForDatabase(db, timeoutMs, () => logger.warn('waiting for the notes database'));
  if (!reachable) throw new StartupError('the notes database is not reachable (NOTES_DB_URL)');
}

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
 * Opens the stores, checks (or runs) migrations, builds the app and the socket server, and listens
 * only once every store is ready. main.ts and the tests use exactly this.
 */
export async function startNotesServer(
  config: NotesConfig,
  logger: Logger,
  options: { dbLogging?: (sql: string) => void; startupTimeoutMs?: number } = {},
): Promise<NotesServer> {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  const closeAll = async () => {
    for (const step of cleanup.reverse()) {
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
    cleanup.push(() => db.close());
    await awaitDatabase(db, logger, options.startupTimeoutMs ?? 30_000);
    if (config.NOTES_MIGRATE_ON_START) {
      const done = await migrateUp(db, migrations, logger);
      if (done.length > 0) logger.info({ migrations: done }, 'migrations applied');
    } else {
      const pending = await pendingMigrations(db);
      if (pending.length > 0)
        throw new StartupError(
          `the notes database needs migrations (${pending.join(', ')}): run the migrate command or set NOTES_MIGRATE_ON_START=true`,
        );
    }

    let redis: { main: RedisClient; pub: RedisClient; sub: RedisClient } | undefined;
    if (config.NOTES_REDIS_URL) {
      const main = await connectRedis(config.NOTES_REDIS_URL, logger);
      cleanup.push(() => main.quit());
      const pub = await connectRedis(config.NOTES_REDIS_URL, logger);
      cleanup.push(() => pub.quit());
      const sub = await connectRedis(config.NOTES_REDIS_URL, logger);
      cleanup.push(() => sub.quit());
      redis = { main, pub, sub };
    }

    const sessions: SessionStore = redis
      ? redisSessionStore(redis.main, config.NOTES_REDIS_PREFIX)
      : databaseSessionStore(db, config.NOTES_SESSION_MAX_AGE_HOURS * 3600 * 1000);
    cleanup.push(() => sessions.close());
    const sessionMiddleware = createSessionMiddleware(config, sessions.store);

    const userauth = new UserauthClient({ url: config.USERAUTH_URL, apiKey: config.USERAUTH_API_KEY });
    const users = new UserDirectory(userauth, config.NOTES_USER_CACHE_SECONDS * 1000);
    const passport = createPassport(userauth, users);

    // The HTTP server exists first so Socket.IO can hook into it; the app answers once it is built.
    let handler: RequestListener = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    const http = createServer((req, res) => handler(req, res));
    const io = createSocketServer(http, {
      logger,
      sessionMiddleware,
      allowedOrigins: config.NOTES_ALLOWED_ORIGINS,
      trustProxy: Boolean(config.NOTES_TRUST_PROXY),
      ...(redis ? { redis: { pub: redis.pub, sub: redis.sub, prefix: config.NOTES_REDIS_PREFIX } } : {}),
    });
    const events = new Broadcaster(io);
    const noteRepo = new NoteRepository(db);
    const notes = new NoteService(noteRepo, events, config.NOTES_PAGE_SIZE);
    const comments = new CommentService(new CommentRepository(db), noteRepo, events);
    setupNotesNamespace(io, notes, comments, logger);
    io.of('/home');

    const app = createApp({
      logger,
      trustProxy: config.NOTES_TRUST_PROXY,
      sessionMiddleware,
      passport,
      notes,
      comments,
      loginLimits: {
        perClient: config.NOTES_LOGIN_LIMIT_PER_CLIENT,
        perUser: config.NOTES_LOGIN_LIMIT_PER_USER,
        windowMs: config.NOTES_LOGIN_LIMIT_WINDOW_SECONDS * 1000,
      },
      readiness: {
        database: () => databaseReachable(db),
        ...(redis ? { redis: async () => (await redis.main.ping()) === 'PONG' } : {}),
        userauth: () => userauth.ready(),
      },
    });

    handler = app;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.PORT, config.HOST, () => {
        http.off('error', reject);
        resolve();
      });
    });
    const port = (http.address() as AddressInfo).port;
    const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        const stopped = closeHttpServer(http, 5000);
        io.disconnectSockets(true);
        await new Promise<void>((r) => io.close(() => r()));
        await stopped;
        await closeAll();
      })();
      return closing;
    };
    return { url, port, db, http, close };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
