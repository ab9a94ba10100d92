import { AppError } from '@notes/kit';
import type { Next, Request, RequestHandler, Response } from 'restify';

/**
 * Turns the raw body (read by restify's bodyReader) into req.body. A non-empty body must be JSON;
 * a parse error never echoes the input (it may hold a password).
 */
export function jsonBody(): RequestHandler {
  return (req: Request, _res: Response, next: Next) => {
    const raw: unknown = req.body;
    const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
    if (text.trim() === '') {
      req.body = undefined;
      return next();
    }
    const type = req.getContentType();
    if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type))
      return next(AppError.invalid('body', 'must be JSON (Content-Type: application/json)'));
    try {
      req.body = JSON.parse(text);
    } catch {
      return next(AppError.invalid('body', 'is not valid JSON'));
    }
    return next();
  };
}
