import { AppError, type Logger } from '@notes/kit';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { SessionRegistry } from '../accounts/session-registry.js';
import { OIDC_CALLBACK_PATH } from '../config.js';
import { ensureSession } from '../http/lazy-session.js';
import type { SessionUser } from '../users/session-user.js';
import { renderLogin } from './login-page.js';
import { OIDC_STRATEGY, type OidcLogin } from './oidc-login.js';
import type { NotesPassport } from './passport-setup.js';
import { completeSignIn } from './sign-in.js';

export const OIDC_START_PATH = '/users/login/oidc';

/** A failure to reach the provider or svc-userauth (then 503), as opposed to a refused sign-in. */
function unreachable(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'unavailable';
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return true;
  return err instanceof TypeError && (e.message === 'fetch failed' || typeof e.cause?.code === 'string');
}

/**
 * GET /users/login/oidc sends the visitor to the provider (state, nonce and PKCE kept in the
 * session); the provider returns to GET /users/login/oidc/callback (DESIGN 4.10). A refused or
 * forged callback (wrong state, a used or stolen code, an expired or mis-signed ID token) shows the
 * login form with one plain message and signs nobody in; details go to the log only.
 */
export function oidcRoutes(
  oidc: OidcLogin,
  passport: NotesPassport,
  registry: SessionRegistry,
  logger: Logger,
): Router {
  const router = Router();
  const didNotSucceed = `Sign-in with ${oidc.name} did not succeed; please try again`;

  const refuse = (req: Request, res: Response, err: unknown) => {
    if (unreachable(err)) {
      const message = err instanceof AppError ? err.message : oidc.unavailableMessage;
      logger.warn({ err: (err as Error).message }, 'oidc sign-in unavailable');
      res.set('Retry-After', '5');
      return renderLogin(req, res, 503, message);
    }
    const e = err as { name?: string; code?: string; error?: string; message?: string };
    logger.warn({ reason: e?.message, code: e?.code ?? e?.error, type: e?.name }, 'oidc sign-in refused');
    renderLogin(req, res, 401, didNotSucceed);
  };

  const run = async (req: Request, res: Response, next: NextFunction) => {
    // State, nonce and PKCE verifier live in the session: a visitor without one gets it now.
    ensureSession(req);
    try {
      await oidc.ready();
    } catch (err) {
      return refuse(req, res, err);
    }
    passport.authenticate(
      OIDC_STRATEGY,
      (err: unknown, user: SessionUser | false, info?: { message?: string }) => {
        if (err) return refuse(req, res, err);
        if (!user) return refuse(req, res, new Error(info?.message ?? 'refused'));
        // As for passwords: a new session id, indexed under its user. No second factor here:
        // the provider has its own.
        completeSignIn(req, res, user, registry).catch(next);
      },
    )(req, res, next);
  };

  router.get(OIDC_START_PATH, (req, res, next) => {
    if (req.user) return res.redirect(302, '/');
    void run(req, res, next);
  });
  router.get(OIDC_CALLBACK_PATH, (req, res, next) => {
    void run(req, res, next);
  });
  return router;
}
