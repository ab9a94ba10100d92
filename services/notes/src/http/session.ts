import type { RequestHandler } from 'express';
import session, { type Store } from 'express-session';
import type { NotesConfig } from '../config.js';

export const SESSION_COOKIE = 'notes.sid';

/**
 * Sessions: created only when something is stored (login, CSRF token of a form), cookie HttpOnly +
 * SameSite=Lax, Secure automatically when the request came over TLS through a trusted proxy.
 */
export function createSessionMiddleware(config: NotesConfig, store: Store): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: config.NOTES_SESSION_SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: config.NOTES_TRUST_PROXY ? true : undefined,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.NOTES_TRUST_PROXY ? 'auto' : false,
      maxAge: config.NOTES_SESSION_MAX_AGE_HOURS * 3600 * 1000,
      path: '/',
    },
  });
}
