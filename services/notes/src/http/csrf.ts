import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';
import { markPrivate } from './private-responses.js';

/**
 * Synchroniser-token CSRF protection (csrf-sync): the token lives in the session and every POST form
 * carries it as `_csrf`. Tokens are made only for pages with a form, so plain reading creates no session.
 */
export const { csrfSynchronisedProtection: csrfProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const body = req.body as Record<string, unknown> | undefined;
    const token = body?._csrf ?? req.headers['x-csrf-token'];
    return typeof token === 'string' ? token : undefined;
  },
  errorConfig: { statusCode: 403, message: 'Invalid or missing form token; reload the page and try again' },
});

/** The session's form token; the response carrying it is private (never cached). */
export function csrfToken(req: Request): string {
  if (req.res) markPrivate(req.res);
  return generateToken(req);
}
