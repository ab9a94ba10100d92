import { AppError, type ErrorCode, type Logger } from '@notes/kit';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CLIENT_CODES: Record<number, ErrorCode> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'too_many_requests',
};

/** Turns anything thrown into an AppError; unknown errors become a generic 500. */
export function toAppError(err: unknown): { error: AppError; unknown: boolean } {
  if (err instanceof AppError) return { error: err, unknown: false };
  const e = err as {
    status?: unknown;
    statusCode?: unknown;
    type?: unknown;
    code?: unknown;
    message?: unknown;
    limit?: unknown;
  };
  const status =
    typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if (e?.code === 'EBADCSRFTOKEN')
    return { error: new AppError('forbidden', String(e.message)), unknown: false };
  if (status === 413 && typeof e.limit === 'number')
    return { error: AppError.tooLarge(e.limit), unknown: false };
  if (status >= 400 && status < 500 && typeof e?.type === 'string')
    return { error: new AppError('invalid', 'The request body could not be read'), unknown: false };
  // Any other client error of a library (e.g. a malformed %-escape in a path) stays a client error:
  // its status, no stack in the log.
  if (status >= 400 && status < 500) {
    const code = CLIENT_CODES[status] ?? 'invalid';
    return {
      error: new AppError(code, code === 'invalid' ? 'The request could not be read' : TITLES[status]!),
      unknown: false,
    };
  }
  return { error: new AppError('internal', 'Internal Server Error', { cause: err }), unknown: true };
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** The one place where errors become responses: an error page (message in h1, status in h2) or JSON. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const { error, unknown } = toAppError(err);
    const status = error.status;
    if (unknown) logger.error({ err, path: req.path }, 'unhandled error');
    else if (error.code === 'unavailable')
      logger.warn({ err: error.message, path: req.path }, 'dependency unavailable');
    const message = unknown ? TITLES[500]! : error.message;
    res.status(status);
    if (status === 503) res.set('Retry-After', '5');
    if (wantsJson(req)) {
      res.json({ code: error.code, message, ...(error.field ? { field: error.field } : {}) });
      return;
    }
    const title = TITLES[status] ?? 'Error';
    res.render('error', { title, status, detail: message === title ? undefined : message, user: req.user });
  };
}

/** Last route: anything unmatched is a 404 page. */
export const notFoundHandler: RequestHandler = () => {
  throw AppError.notFound('Not Found');
};
