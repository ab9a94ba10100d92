import { AppError, parseInput } from '@notes/kit';
import type { UserauthClient } from '@notes/userauth/client';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { SessionRegistry } from '../accounts/session-registry.js';
import { CSRF_REFUSED, csrfProtectionOr } from '../http/csrf.js';
import type { SessionUser } from '../users/session-user.js';
import { ACCOUNT_SERVICE_UNAVAILABLE } from '../users/user-directory.js';
import type { LoginLimiter } from './login-limiter.js';
import { requestedNext } from './login-next.js';
import { renderLogin } from './login-page.js';
import type { NotesPassport } from './passport-setup.js';
import { startSecondStep } from './second-factor-routes.js';
import { completeSignIn } from './sign-in.js';

const required = (max: number) =>
  z
    .string({ error: 'is required' })
    .min(1, { error: 'is required', abort: true })
    .max(max, `must be at most ${max} characters`);

const loginForm = z.object({ username: required(100).trim(), password: required(1000) });

type Outcome = { user: SessionUser } | { message: string };

/** The local strategy's answer for this request, as a promise. */
function authenticate(passport: NotesPassport, req: Request, res: Response): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    passport.authenticate('local', (err: unknown, user: SessionUser | false, info?: { message?: string }) => {
      if (err) reject(err);
      else if (!user) resolve({ message: info?.message ?? 'Incorrect username or password' });
      else resolve({ user });
    })(req, res, reject);
  });
}

/** GET/POST /users/login (DESIGN 4.1); failed passwords go through the LoginLimiter. */
export function loginRoutes(
  passport: NotesPassport,
  limiter: LoginLimiter,
  userauth: UserauthClient,
  registry: SessionRegistry,
): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

  router.get('/users/login', (req, res) => {
    if (req.user) return res.redirect(302, requestedNext(req) ?? '/');
    renderLogin(req, res, 200);
  });

  // A refused token (e.g. a login form left open past the end of its session) shows the form again.
  const csrfProtection = csrfProtectionOr((req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = typeof body.username === 'string' ? body.username.slice(0, 100) : '';
    renderLogin(req, res, 403, CSRF_REFUSED, typed);
  });

  router.post('/users/login', form, csrfProtection, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = typeof body.username === 'string' ? body.username.slice(0, 100) : '';
    let username: string;
    try {
      username = parseInput(loginForm, body).username;
    } catch (err) {
      if (err instanceof AppError) return renderLogin(req, res, 400, err.message, typed);
      throw err;
    }
    body.username = username;
    const attempt = { address: req.ip ?? '', username };
    // A client that leaves while its attempt waits costs no password check.
    const left = new AbortController();
    res.once('close', () => left.abort());
    try {
      if (!(await limiter.admit(attempt, left.signal))) return;
    } catch (err) {
      if (err instanceof AppError && err.code === 'too_many_requests') {
        res.set('Retry-After', '5');
        return renderLogin(req, res, 429, err.message, typed);
      }
      throw err;
    }
    let outcome: Outcome;
    try {
      outcome = await authenticate(passport, req, res);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'unavailable')) throw err;
      // svc-userauth is away: the form again, with the name typed and a plain message.
      res.set('Retry-After', '5');
      return renderLogin(req, res, 503, err.message, typed);
    }
    if ('message' in outcome) {
      await limiter.failed(attempt);
      return renderLogin(req, res, 401, outcome.message, typed);
    }
    let secondFactor: boolean;
    try {
      secondFactor = (await userauth.mfaStatus(outcome.user.username)).enabled;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'unavailable')) throw err;
      res.set('Retry-After', '5');
      return renderLogin(req, res, 503, ACCOUNT_SERVICE_UNAVAILABLE, typed);
    }
    // With a second factor the password alone signs nobody in; the counters clear with the code.
    if (secondFactor) return startSecondStep(req, res, outcome.user, requestedNext(req));
    await limiter.succeeded(attempt);
    await completeSignIn(req, res, outcome.user, registry, requestedNext(req));
  });

  return router;
}
