import type { Server as HttpServer } from 'node:http';
import { databaseReachable, type Logger } from '@notes/kit';
import { UserauthClient } from '@notes/userauth/client';
import type { Express } from 'express';
import type { Server as SocketServer } from 'socket.io';
import { createApp } from '../app.js';
import { LoginLimiter } from '../auth/login-limiter.js';
import { createPassport } from '../auth/passport-setup.js';
import { CommentRepository } from '../comments/comment-repository.js';
import { CommentService } from '../comments/comment-service.js';
import { commentSocketHandlers } from '../comments/comment-socket.js';
import type { NotesConfig } from '../config.js';
import { createSessionMiddleware } from '../http/session.js';
import { databaseCounters } from '../limits/database-counters.js';
import { redisCounters } from '../limits/redis-counters.js';
import { memoryBuckets, redisBuckets } from '../limits/token-buckets.js';
import { WriteLimiter } from '../limits/write-limiter.js';
import { NoteRepository } from '../notes/note-repository.js';
import { NoteService } from '../notes/note-service.js';
import { Broadcaster, HOME } from '../realtime/broadcaster.js';
import { setupNotesNamespace } from '../realtime/notes-namespace.js';
import { createSocketServer } from '../realtime/socket-server.js';
import { socketWriteGate } from '../realtime/socket-writes.js';
import { UserDirectory } from '../users/user-directory.js';
import type { NotesStores } from './stores.js';

/**
 * Builds everything svc-notes runs on opened stores: the features (repository → service), the
 * Socket.IO server on `http` and the Express app. Nothing listens yet.
 */
export function wireNotes(
  config: NotesConfig,
  logger: Logger,
  stores: NotesStores,
  http: HttpServer,
): { app: Express; io: SocketServer } {
  const { db, redis } = stores;
  const sessionMiddleware = createSessionMiddleware(config, stores.sessions.store);

  const userauth = new UserauthClient({ url: config.USERAUTH_URL, apiKey: config.USERAUTH_API_KEY });
  const users = new UserDirectory(userauth, config.NOTES_USER_CACHE_SECONDS * 1000);
  const passport = createPassport(userauth, users);

  const io = createSocketServer(http, {
    logger,
    sessionMiddleware,
    allowedOrigins: config.NOTES_ALLOWED_ORIGINS,
    trustProxy: Boolean(config.NOTES_TRUST_PROXY),
    ...(redis ? { redis: { pub: redis.pub, sub: redis.sub, prefix: config.NOTES_REDIS_PREFIX } } : {}),
  });
  // Limits shared by every replica where Redis is configured (README "Login limits", "Write limits").
  const prefix = config.NOTES_REDIS_PREFIX;
  const loginLimiter = new LoginLimiter(
    redis ? redisCounters(redis.main, prefix) : databaseCounters(db),
    {
      perClient: config.NOTES_LOGIN_LIMIT_PER_CLIENT,
      perUser: config.NOTES_LOGIN_LIMIT_PER_USER,
      windowMs: config.NOTES_LOGIN_LIMIT_WINDOW_SECONDS * 1000,
      delayBaseMs: config.NOTES_LOGIN_DELAY_BASE_MS,
      delayMaxMs: config.NOTES_LOGIN_DELAY_MAX_MS,
    },
    logger,
  );
  const writeShape = {
    perSecond: config.NOTES_WRITE_LIMIT_PER_SECOND,
    burst: config.NOTES_WRITE_LIMIT_BURST,
  };
  const writeLimiter = new WriteLimiter(
    writeShape,
    redis ? redisBuckets(redis.main, prefix, writeShape) : memoryBuckets(writeShape),
    logger,
  );

  const events = new Broadcaster(io);
  const notes = new NoteService(new NoteRepository(db), events, config.NOTES_PAGE_SIZE);
  const comments = new CommentService(new CommentRepository(db), notes, events);
  setupNotesNamespace(
    io,
    notes,
    [commentSocketHandlers(comments, notes, socketWriteGate(writeLimiter, logger), logger)],
    logger,
  );
  io.of(HOME);

  const app = createApp({
    logger,
    trustProxy: config.NOTES_TRUST_PROXY,
    sessionMiddleware,
    passport,
    notes,
    comments,
    loginLimiter,
    writeLimiter,
    readiness: {
      database: () => databaseReachable(db),
      ...(redis ? { redis: async () => (await redis.main.ping()) === 'PONG' } : {}),
      userauth: () => userauth.ready(),
    },
  });
  return { app, io };
}
