import type { Logger } from '@notes/kit';
import type { UserauthClient } from '@notes/userauth/client';
import express, { type Express, type RequestHandler } from 'express';
import { profileRoutes } from './accounts/profile-routes.js';
import type { SessionRegistry } from './accounts/session-registry.js';
import type { LoginLimiter } from './auth/login-limiter.js';
import { loginRoutes } from './auth/login-routes.js';
import { logoutRoutes } from './auth/logout-routes.js';
import type { OidcLogin } from './auth/oidc-login.js';
import { oidcRoutes } from './auth/oidc-routes.js';
import type { NotesPassport } from './auth/passport-setup.js';
import { secondFactorRoutes } from './auth/second-factor-routes.js';
import { previewRoute } from './collab/preview-route.js';
import { commentRoutes } from './comments/comment-routes.js';
import type { CommentService } from './comments/comment-service.js';
import { exportRoutes } from './export/export-routes.js';
import { historyRoutes } from './history/history-routes.js';
import type { HistoryService } from './history/history-service.js';
import { csrfKey } from './http/csrf.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { flashMessages } from './http/flash.js';
import { healthRoutes, type ReadinessCheck } from './http/health.js';
import { sessionWhenCookie } from './http/lazy-session.js';
import { privateForUsers } from './http/private-responses.js';
import { requestLog } from './http/request-log.js';
import { requirePathTarget } from './http/request-target.js';
import { securityHeaders } from './http/security-headers.js';
import { SESSION_COOKIE } from './http/session.js';
import { refreshSessions } from './http/session-refresh.js';
import { staticAssets } from './http/static-assets.js';
import { themeLocals } from './http/theme.js';
import { importRoutes } from './import/import-routes.js';
import type { ImportService } from './import/import-service.js';
import type { UploadLimits } from './import/import-upload.js';
import type { WriteLimiter } from './limits/write-limiter.js';
import { noteBodyRoute } from './notes/note-body-route.js';
import type { Visibility } from './notes/note-policy.js';
import { noteRoutes } from './notes/note-routes.js';
import type { NoteService } from './notes/note-service.js';
import { taskRoute } from './notes/task-route.js';
import { searchRoutes } from './search/search-routes.js';
import type { SearchService } from './search/search-service.js';
import { linkRoutes } from './sharing/link-routes.js';
import type { LinkService } from './sharing/link-service.js';
import { shareRoutes } from './sharing/share-routes.js';
import type { ShareService } from './sharing/share-service.js';
import type { TagCloud } from './tags/tag-cloud.js';
import type { TagRepository } from './tags/tag-repository.js';
import { tagRoutes } from './tags/tag-routes.js';
import { trashRoutes } from './trash/trash-routes.js';
import type { TrashService } from './trash/trash-service.js';
import type { UserDirectory } from './users/user-directory.js';
import { setupViews } from './views/view-engine.js';

export interface AppDeps {
  logger: Logger;
  trustProxy: boolean | number | string;
  sessionMiddleware: RequestHandler;
  /** How often a request saves its session again so that it slides (NOTES_SESSION_REFRESH_SECONDS). */
  sessionRefreshMs: number;
  /** Keys the CSRF tokens (the session secret: every replica derives the same tokens). */
  csrfSecret: string;
  passport: NotesPassport;
  userauth: UserauthClient;
  users: UserDirectory;
  /** The sessions of each user (password changes end the others; the profile lists them). */
  sessions: SessionRegistry;
  /** OpenID Connect sign-in, when configured. */
  oidc?: OidcLogin | undefined;
  notes: NoteService;
  /** What new notes get unless the form says otherwise (NOTES_DEFAULT_VISIBILITY). */
  defaultVisibility: Visibility;
  comments: CommentService;
  search: SearchService;
  history: HistoryService;
  trash: TrashService;
  tags: TagRepository;
  /** The home page's tag cloud (kept briefly per visitor). */
  tagCloud: TagCloud;
  /** Import of .md files and zips (DESIGN 4.7) and what one upload may hold. */
  imports: ImportService;
  uploadLimits: UploadLimits;
  shares: ShareService;
  links: LinkService;
  loginLimiter: LoginLimiter;
  writeLimiter: WriteLimiter;
  readiness: Record<string, ReadinessCheck>;
}

/** Builds the Express app (no listening): the same pieces serve main.ts and the tests. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('query parser', 'simple');
  setupViews(app);
  // The login page shows "Sign in with <name>" (a#login-oidc) when a provider is configured.
  app.locals.oidcName = deps.oidc?.name;

  app.use(healthRoutes(deps.readiness));
  app.use(requestLog(deps.logger));
  app.use(requirePathTarget);
  app.use(securityHeaders());
  app.use(staticAssets());
  app.use(themeLocals);
  app.use(csrfKey(deps.csrfSecret));
  app.use(
    sessionWhenCookie(SESSION_COOKIE, [
      deps.sessionMiddleware,
      refreshSessions(deps.sessionRefreshMs),
      deps.passport.initialize(),
      deps.passport.session(),
    ]),
  );
  app.use(privateForUsers);
  app.use(flashMessages);

  app.use(loginRoutes(deps.passport, deps.loginLimiter, deps.userauth, deps.sessions));
  app.use(secondFactorRoutes(deps.userauth, deps.loginLimiter, deps.sessions));
  if (deps.oidc) app.use(oidcRoutes(deps.oidc, deps.passport, deps.sessions, deps.logger));
  app.use(logoutRoutes(deps.sessions));
  app.use(
    profileRoutes({
      userauth: deps.userauth,
      users: deps.users,
      registry: deps.sessions,
      limiter: deps.loginLimiter,
    }),
  );
  app.use(noteRoutes(deps.notes, deps.comments, deps.writeLimiter, deps.defaultVisibility, deps.tagCloud));
  app.use(noteBodyRoute(deps.notes));
  app.use(taskRoute(deps.notes, deps.writeLimiter));
  app.use(commentRoutes(deps.comments, deps.writeLimiter));
  app.use(searchRoutes(deps.search));
  app.use(exportRoutes(deps.notes, deps.logger));
  app.use(importRoutes(deps.imports, deps.writeLimiter, deps.uploadLimits));
  app.use(historyRoutes(deps.history));
  app.use(trashRoutes(deps.trash));
  app.use(tagRoutes(deps.notes, deps.tags));
  app.use(previewRoute());
  app.use(shareRoutes(deps.shares, deps.links));
  app.use(linkRoutes(deps.links, deps.comments));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
