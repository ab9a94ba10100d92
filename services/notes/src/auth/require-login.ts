import { AppError } from '@notes/kit';
import type { Request, RequestHandler } from 'express';

/** Pages for logged-in users: a GET goes to the login form, anything else is a 401. */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET') return res.redirect(302, '/users/login');
  throw AppError.unauthorized('Log in first');
};

export function currentUsername(req: Request): string {
  if (!req.user) throw AppError.unauthorized('Log in first');
  return req.user.username;
}
