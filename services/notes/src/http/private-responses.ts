import type { RequestHandler, Response } from 'express';

/** Responses that only this user may see: no shared or browser cache keeps them. */
export function markPrivate(res: Response): void {
  res.set('Cache-Control', 'private, no-store');
}

/**
 * `Cache-Control: private, no-store` on every response for a signed-in user (after the session is
 * read); pages carrying a CSRF token are marked where the token is made (csrf.ts).
 */
export const privateForUsers: RequestHandler = (req, res, next) => {
  if (req.user) markPrivate(res);
  next();
};
