import { AppError, parseInput } from '@notes/kit';
import type { UserauthClient } from '@notes/userauth/client';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { SessionRegistry } from '../accounts/session-registry.js';
import { CSRF_REFUSED, csrfProtectionOr, csrfToken } from '../http/csrf.js';
import type { SessionUser } from '../users/session-user.js';
import { ACCOUNT_SERVICE_UNAVAILABLE } from '../users/user-directory.js';
import type { LoginLimiter } from './login-limiter.js';
import { completeSignIn } from './sign-in.js';

export const SECOND_STEP_PATH = '/users/login/2fa';
/** How long a correct password waits for its code before the password must be typed again. */
const PENDING_MS = 5 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    /** A correct password for a user with a second factor: not a sign-in until the code is right. */
    pendingSignIn?: { user: SessionUser; at: number; next?: string };
  }
}

const codeForm = z.object({
  code: z
    .string({ error: 'is required' })
    .trim()
    .min(1, { error: 'is required', abort: true })
    .max(64, 'must be at most 64 characters'),
});

/** The pending sign-in of this session, if still fresh. */
function pending(req: Request): SessionUser | undefined {
  const p = req.session.pendingSignIn;
  if (!p || Date.now() - p.at > PENDING_MS) return undefined;
  return p.user;
}

/** The page that asked for the login, carried through the second step. */
const pendingNext = (req: Request): string | undefined => req.session.pendingSignIn?.next;

/**
 * After a correct password: a fresh session id holding only the pending sign-in (never a
 * Passport user), then the code page.
 */
export async function startSecondStep(
  req: Request,
  res: Response,
  user: SessionUser,
  next?: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
  req.session.pendingSignIn = { user, at: Date.now(), ...(next ? { next } : {}) };
  await new Promise<void>((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));
  res.redirect(302, SECOND_STEP_PATH);
}

function render(req: Request, res: Response, status: number, user: SessionUser, message?: string) {
  res.status(status).render('login-2fa', {
    title: 'Two-factor code',
    csrf: csrfToken(req),
    pendingName: user.username,
    message,
  });
}

/**
 * GET/POST /users/login/2fa (DESIGN 4.10): `form[action="/users/login/2fa"]` with `[name=code]`, a
 * TOTP code or a recovery code. Wrong codes count toward the login limits exactly as wrong
 * passwords do (same counters, same waits).
 */
export function secondFactorRoutes(
  userauth: UserauthClient,
  limiter: LoginLimiter,
  registry: SessionRegistry,
): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

  router.get(SECOND_STEP_PATH, (req, res) => {
    if (req.user) return res.redirect(302, '/');
    const user = pending(req);
    if (!user) return res.redirect(302, '/users/login');
    render(req, res, 200, user);
  });

  const csrf = csrfProtectionOr((req, res) => {
    const user = pending(req);
    if (!user) return res.redirect(302, '/users/login');
    render(req, res, 403, user, CSRF_REFUSED);
  });

  router.post(SECOND_STEP_PATH, form, csrf, async (req, res) => {
    const user = pending(req);
    if (!user) return res.redirect(302, '/users/login');
    let code: string;
    try {
      code = parseInput(codeForm, req.body ?? {}).code;
    } catch (err) {
      if (err instanceof AppError) return render(req, res, 400, user, err.message);
      throw err;
    }
    const attempt = { address: req.ip ?? '', username: user.username };
    const left = new AbortController();
    res.once('close', () => left.abort());
    try {
      if (!(await limiter.admit(attempt, left.signal))) return;
    } catch (err) {
      if (err instanceof AppError && err.code === 'too_many_requests') {
        res.set('Retry-After', '5');
        return render(req, res, 429, user, err.message);
      }
      throw err;
    }
    let check: Awaited<ReturnType<UserauthClient['mfaVerify']>>;
    try {
      check = await userauth.mfaVerify(user.username, code);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'unavailable')) throw err;
      res.set('Retry-After', '5');
      return render(req, res, 503, user, ACCOUNT_SERVICE_UNAVAILABLE);
    }
    if (!check.check) {
      await limiter.failed(attempt);
      return render(req, res, 401, user, check.message);
    }
    await limiter.succeeded(attempt);
    await completeSignIn(req, res, user, registry, pendingNext(req));
  });

  return router;
}
