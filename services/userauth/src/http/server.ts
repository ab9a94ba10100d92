import { type Logger, listenError } from '@notes/kit';
import restify, { type Request, type Response, type Server } from 'restify';
import type { Sequelize } from 'sequelize';
import type { ApiKey } from '../config.js';
import { type IdentityService, registerIdentityRoutes } from '../identities/index.js';
import { type MfaService, registerMfaRoutes } from '../mfa/index.js';
import { registerUserRoutes, type UserService } from '../users/index.js';
import { apiKeyAuth } from './api-key.js';
import { errorHandler } from './errors.js';
import { HEALTH_PATHS, registerHealthRoutes } from './health.js';
import { jsonBody } from './json-body.js';
import { requestLogger } from './request-log.js';

export interface ServerDeps {
  db: Sequelize;
  users: UserService;
  identities: IdentityService;
  mfa: MfaService;
  apiKeys: ApiKey[];
  logger: Logger;
  /** Largest accepted request body; default 64 KiB. */
  bodyLimit?: number;
}

/**
 * How long the server keeps an idle client connection open: far longer than any client reuses
 * one (svc-notes' client: CLIENT_IDLE_REUSE_MS, 4 s), so it is always the client that closes an
 * idle connection, and a request never races the server's close (see the client).
 */
export const USERAUTH_KEEP_ALIVE_MS = 65_000;

/** Builds the Restify server without listening (main.ts listens; tests listen on port 0). */
export function createServer(deps: ServerDeps): Server {
  const bodyLimit = deps.bodyLimit ?? 64 * 1024;
  const server = restify.createServer({
    name: 'userauth',
    log: deps.logger as unknown as restify.ServerOptions['log'],
    handleUncaughtExceptions: false,
    ignoreTrailingSlash: true,
  });
  server.pre((req: Request, res: Response, next: restify.Next) => {
    res.setHeader('request-id', req.getId());
    next();
  });
  server.use(apiKeyAuth(deps.apiKeys, HEALTH_PATHS));
  server.use(restify.plugins.bodyReader({ maxBodySize: bodyLimit }));
  server.use(jsonBody());
  registerHealthRoutes(server, deps.db);
  registerUserRoutes(server, deps.users);
  registerIdentityRoutes(server, deps.identities);
  registerMfaRoutes(server, deps.mfa);
  server.server.keepAliveTimeout = USERAUTH_KEEP_ALIVE_MS;
  // Node requires the header timeout to exceed the keep-alive timeout.
  server.server.headersTimeout = USERAUTH_KEEP_ALIVE_MS + 1000;
  server.on('restifyError', errorHandler(deps.logger, bodyLimit));
  server.on('after', requestLogger(deps.logger));
  return server;
}

/** Listens and resolves with the bound port. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // Restify re-emits the http server's errors on itself: both need the listener, or a busy port
    // becomes an unhandled 'error' event with a stack instead of one line.
    const failed = (err: unknown) => reject(listenError(err, port, host));
    server.server.once('error', failed);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.server.off('error', failed);
      server.off('error', failed);
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
