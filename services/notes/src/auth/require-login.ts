import { AppError } from '@notes/kit';
import type { Request, RequestHandler } from 'express';
import { loginUrlFor } from './login-next.js';

/**
 * Pages for logged-in users: a GET goes to the login form, which comes back here afterwards
 * (`?next=`); anything else is a 401.
 */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET') return res.redirect(302, loginUrlFor(req));
  throw AppError.unauthorized('Log in first');
};

/** The signed-in user of a request behind requireLogin (401 if there is none). */
export function signedInUser(req: Request): Express.User {
  if (!req.user) throw AppError.unauthorized('Log in first');
  return req.user;
}
