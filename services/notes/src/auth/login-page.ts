import type { Request, Response } from 'express';
import { csrfToken } from '../http/csrf.js';
import { requestedNext } from './login-next.js';

/**
 * The login form (DESIGN 4.1) with a status and a message; the name typed stays in the form.
 * The OpenID Connect button comes from app.locals.oidcName (set when a provider is configured).
 */
export function renderLogin(req: Request, res: Response, status: number, message?: string, username = '') {
  res.status(status).render('login', {
    title: 'Log in',
    user: req.user,
    csrf: csrfToken(req),
    message,
    username,
    next: requestedNext(req),
  });
}
