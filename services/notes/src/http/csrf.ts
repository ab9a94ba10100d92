import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '@notes/kit';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ensureSession } from './lazy-session.js';
import { markPrivate } from './private-responses.js';

const KEY = Symbol('csrf key');
type KeyedRequest = Request & { [KEY]?: Buffer };

export const CSRF_REFUSED = 'Invalid or missing form token; reload the page and try again';

/**
 * CSRF protection by the HMAC-based token pattern: a form's token is HMAC(session secret, session
 * id), so it is the same for every request of one session and nothing about it is stored. Tokens
 * kept in the session (the synchroniser pattern) raced: concurrent first requests of a new session
 * each made a token and saved the session, the last save won, and the other forms got 403. A new
 * session id (login regenerates it) means new tokens; the token never reveals the session id.
 *
 * `csrfKey(secret)` runs before the routes (createApp) and gives the requests the key.
 */
export function csrfKey(secret: string): RequestHandler {
  const key = createHmac('sha256', secret).update('notes csrf token key').digest();
  return (req, _res, next) => {
    (req as KeyedRequest)[KEY] = key;
    next();
  };
}

function expected(req: Request): string {
  const key = (req as KeyedRequest)[KEY];
  if (!key) throw new Error('csrfKey() is not installed');
  return createHmac('sha256', key).update(req.sessionID).digest('base64url');
}

/**
 * The token for the forms of this page; the response carrying it is private (never cached). Marks
 * the session as used so that it is kept (and its cookie set).
 */
export function csrfToken(req: Request): string {
  if (req.res) markPrivate(req.res);
  // A visitor without a session cookie gets the session here, the first time a page needs one.
  ensureSession(req);
  // The same constant from every request: concurrent saves of it never conflict.
  if (req.session.csrf !== true) req.session.csrf = true;
  return expected(req);
}

function sent(req: Request): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const token = body?._csrf ?? req.headers['x-csrf-token'];
  return typeof token === 'string' ? token : undefined;
}

/** True when the request carries this session's token. */
export function csrfValid(req: Request): boolean {
  const token = sent(req);
  if (!token || !req.session || req.session.csrf !== true) return false;
  const want = Buffer.from(expected(req));
  const got = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Refuses unsafe methods without a valid token: with `onRefused` (a route that can show its form
 * again with what was typed), else with a 403 error page.
 */
export function csrfProtectionOr(
  onRefused?: (req: Request, res: Response, next: NextFunction) => unknown,
): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    if (csrfValid(req)) return next();
    if (onRefused) return void onRefused(req, res, next);
    next(AppError.forbidden(CSRF_REFUSED));
  };
}

/** CSRF protection answering a refused request with a 403 error page. */
export const csrfProtection: RequestHandler = csrfProtectionOr();

declare module 'express-session' {
  interface SessionData {
    /** Set once a page has a form: the session must then be kept for its token to stay valid. */
    csrf?: true;
  }
}
