import type { Server as HttpServer } from 'node:http';
import { databaseReachable, type Logger } from '@notes/kit';
import { UserauthClient } from '@notes/userauth/client';
import type { Express } from 'express';
import type { Server as SocketServer } from 'socket.io';
import { SessionRegistry } from '../accounts/session-registry.js';
import { createApp } from '../app.js';
import { OidcLogin } from '../auth/oidc-login.js';
import { createPassport } from '../auth/passport-setup.js';
import { type CollabWiring, wireCollab } from '../collab/collab-wiring.js';
import { CommentRepository } from '../comments/comment-repository.js';
import { CommentService } from '../comments/comment-service.js';
import { commentSocketHandlers } from '../comments/comment-socket.js';
import type { NotesConfig } from '../config.js';
import { HistoryService } from '../history/history-service.js';
import { RevisionRecorder } from '../history/revision-recorder.js';
import { RevisionRepository } from '../history/revision-repository.js';
import { createSessionMiddleware } from '../http/session.js';
import { ImportService } from '../import/import-service.js';
import { createLimiters } from '../limits/limiters.js';
import { NoteRepository } from '../notes/note-repository.js';
import { NoteService } from '../notes/note-service.js';
import { Broadcaster, HOME } from '../realtime/broadcaster.js';
import { setupNotesNamespace } from '../realtime/notes-namespace.js';
import { createSocketServer } from '../realtime/socket-server.js';
import { socketWriteGate } from '../realtime/socket-writes.js';
import { SearchRepository } from '../search/search-repository.js';
import { SearchService } from '../search/search-service.js';
import { LinkRepository } from '../sharing/link-repository.js';
import { LinkService } from '../sharing/link-service.js';
import { ShareService } from '../sharing/share-service.js';
import { TagCloud } from '../tags/tag-cloud.js';
import { TagRepository } from '../tags/tag-repository.js';
import { TrashPurgeJob } from '../trash/trash-purge-job.js';
import { TrashRepository } from '../trash/trash-repository.js';
import { TrashService } from '../trash/trash-service.js';
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
): {
  app: Express;
  io: SocketServer;
  userauth: UserauthClient;
  collab: CollabWiring;
  close(): void;
  jobs: TrashPurgeJob;
} {
  const { db, redis } = stores;
  const sessionMiddleware = createSessionMiddleware(config, stores.sessions.store);

  const userauth = new UserauthClient({ url: config.USERAUTH_URL, apiKey: config.USERAUTH_API_KEY });
  const users = new UserDirectory(userauth, config.NOTES_USER_CACHE_SECONDS * 1000);
  const passport = createPassport(userauth, users);
  const oidc = config.oidc && new OidcLogin(config.oidc, passport, userauth, users, logger);

  const io = createSocketServer(http, {
    logger,
    sessionMiddleware,
    allowedOrigins: config.NOTES_ALLOWED_ORIGINS,
    trustProxy: Boolean(config.NOTES_TRUST_PROXY),
    ...(redis ? { redis: { pub: redis.pub, sub: redis.sub, prefix: config.NOTES_REDIS_PREFIX } } : {}),
  });
  const limits = createLimiters(config, stores, logger);
  const events = new Broadcaster(io, redis !== undefined);
  const noteRepository = new NoteRepository(db, stores.reads);
  const revisions = new RevisionRepository(db);
  const trashRepository = new TrashRepository(db);
  const notes = new NoteService(
    noteRepository,
    events,
    config.NOTES_PAGE_SIZE,
    config.NOTES_DEFAULT_VISIBILITY,
    new RevisionRecorder(revisions, {
      mergeSeconds: config.NOTES_REVISION_MERGE_SECONDS,
      keep: config.NOTES_REVISION_KEEP,
    }),
    trashRepository,
  );
  const trash = new TrashService(
    trashRepository,
    noteRepository,
    events,
    config.NOTES_TRASH_DAYS,
    config.NOTES_PAGE_SIZE,
  );
  const jobs = new TrashPurgeJob(
    db,
    trashRepository,
    { days: config.NOTES_TRASH_DAYS, intervalSeconds: config.NOTES_TRASH_PURGE_SECONDS },
    logger,
  );
  const history = new HistoryService(notes, revisions, config.NOTES_PAGE_SIZE);
  const comments = new CommentService(new CommentRepository(db, stores.reads), notes, events);
  const shares = new ShareService(noteRepository, notes, users, events);
  const links = new LinkService(new LinkRepository(db), noteRepository);
  const tags = new TagRepository(stores.reads);
  const search = new SearchService(new SearchRepository(db), config.NOTES_PAGE_SIZE);
  setupNotesNamespace(
    io,
    notes,
    [commentSocketHandlers(comments, notes, socketWriteGate(limits.writes, logger), logger)],
    logger,
  );
  io.of(HOME);
  const collab = wireCollab({
    config,
    logger,
    db,
    io,
    redis: redis?.main,
    noteRepository,
    notes,
    events,
  });

  const app = createApp({
    logger,
    trustProxy: config.NOTES_TRUST_PROXY,
    sessionMiddleware,
    sessionRefreshMs: config.NOTES_SESSION_REFRESH_SECONDS * 1000,
    csrfSecret: config.NOTES_SESSION_SECRET,
    passport,
    oidc,
    userauth,
    users,
    sessions: new SessionRegistry(
      db,
      stores.sessions.store,
      config.NOTES_SESSION_MAX_AGE_HOURS * 3600 * 1000,
    ),
    notes,
    comments,
    search,
    history,
    trash,
    tags,
    tagCloud: new TagCloud(tags, config.NOTES_TAG_CLOUD_SIZE, config.NOTES_TAG_CLOUD_SECONDS),
    imports: new ImportService(notes, {
      maxFileBytes: config.NOTES_IMPORT_MAX_FILE_BYTES,
      maxFiles: config.NOTES_IMPORT_MAX_FILES,
      maxUnpackedBytes: config.NOTES_IMPORT_MAX_UNPACKED_BYTES,
    }),
    uploadLimits: {
      maxBytes: config.NOTES_IMPORT_MAX_UPLOAD_BYTES,
      maxFileBytes: config.NOTES_IMPORT_MAX_FILE_BYTES,
      maxFiles: config.NOTES_IMPORT_MAX_FILES,
    },
    shares,
    links,
    defaultVisibility: config.NOTES_DEFAULT_VISIBILITY,
    loginLimiter: limits.login,
    writeLimiter: limits.writes,
    readiness: {
      database: () => databaseReachable(db),
      ...(redis ? { redis: async () => (await redis.main.ping()) === 'PONG' } : {}),
      userauth: () => userauth.ready(),
    },
  });
  return { app, io, userauth, collab, close: collab.close, jobs };
}
