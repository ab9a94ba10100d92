import { AppError, parseInput } from '@notes/kit';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { csrfProtection, csrfToken } from '../http/csrf.js';
import { SESSION_COOKIE } from '../http/session.js';
import type { SessionUser } from '../users/session-user.js';
import { type LoginLimits, loginRateLimits } from './login-rate-limit.js';
import type { NotesPassport } from './passport-setup.js';

function renderLogin(req: Request, res: Response, status: number, message?: string, username = '') {
  res
    .status(status)
    .render('login', { title: 'Log in', user: req.user, csrf: csrfToken(req), message, username });
}

const required = (max: number) =>
  z
    .string({ error: 'is required' })
    .min(1, { error: 'is required', abort: true })
    .max(max, `must be at most ${max} characters`);

const loginForm = z.object({ username: required(100).trim(), password: required(1000) });

/** GET/POST /users/login and GET /users/logout (DESIGN 4.1). */
export function loginRoutes(passport: NotesPassport, limits: LoginLimits): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

  router.get('/users/login', (req, res) => {
    if (req.user) return res.redirect(302, '/');
    renderLogin(req, res, 200);
  });

  router.post('/users/login', form, csrfProtection, ...loginRateLimits(limits), (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = typeof body.username === 'string' ? body.username.slice(0, 100) : '';
    try {
      body.username = parseInput(loginForm, body).username;
    } catch (err) {
      if (err instanceof AppError) return renderLogin(req, res, 400, err.message, typed);
      throw err;
    }
    passport.authenticate('local', (err: unknown, user: SessionUser | false, info?: { message?: string }) => {
      if (err) return next(err);
      if (!user) return renderLogin(req, res, 401, info?.message ?? 'Incorrect username or password', typed);
      // Passport regenerates the session id here (no session fixation) and keeps only the username.
      req.logIn(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        res.redirect(302, '/');
      });
    })(req, res, next);
  });

  router.get('/users/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie(SESSION_COOKIE, { path: '/' });
        res.redirect(302, '/');
      });
    });
  });

  return router;
}
