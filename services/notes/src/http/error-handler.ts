import { AppError, type ErrorCode, FaultLog, type Logger } from '@notes/kit';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { unavailableStore } from '../faults/store-fault.js';
import { loggedPath } from './logged-path.js';

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

/** What a visitor reads while a store is away (no addresses, no driver messages). */
export const STORE_UNAVAILABLE: Record<'redis' | 'database', string> = {
  database: 'The notes database is unavailable; try again in a moment',
  redis: 'Sessions are unavailable (Redis); try again in a moment',
};

/**
 * Turns anything thrown into an AppError: a store that is away (Redis or database connection
 * refused, lost or timed out) is a 503; unknown errors become a generic 500.
 */
export function toAppError(err: unknown): { error: AppError; unknown: boolean; store?: string } {
  if (err instanceof AppError) return { error: err, unknown: false };
  const store = unavailableStore(err);
  if (store) return { error: AppError.unavailable(STORE_UNAVAILABLE[store], err), unknown: false, store };
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

/** A short, SQL-free description of why a dependency failed, for the warning line. */
function causeOf(error: AppError): string {
  const cause = error.cause as { name?: string; message?: string; original?: { code?: string } } | undefined;
  if (!cause) return error.message;
  if (cause.original?.code) return `${cause.name}: ${cause.original.code}`;
  return /^Sequelize/.test(cause.name ?? '') ? String(cause.name) : String(cause.message ?? cause.name);
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** The one place where errors become responses: an error page (message in h1, status in h2) or JSON. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  // One warning line per dependency every few seconds while it is away, never a stack per request.
  const faults = new FaultLog(logger);
  /** Classifies an error and logs it: unknown ones with their stack, a store's absence once a while. */
  const classifyAndLog = (err: unknown, requestPath: string) => {
    const path = loggedPath(requestPath);
    const classified = toAppError(err);
    const { error, unknown, store } = classified;
    if (unknown) logger.error({ err, path }, 'unhandled error');
    else if (error.code === 'unavailable') {
      faults.warn(store ?? 'userauth', 'dependency unavailable', { path, err: causeOf(error) });
    }
    return classified;
  };
  return (err, req, res, next) => {
    if (res.headersSent) {
      // Answered in full already: typically express-session saving a changed session (a flash
      // message) after the page went out, while Redis is away. Express's final handler would destroy
      // the connection, and a keep-alive client that sends its next request on it meets a reset
      // instead of an answer. Nothing is left to tell this visitor; the fault is logged as usual.
      if (res.writableEnded) {
        classifyAndLog(err, req.path);
        return;
      }
      // Half sent (a body that failed while streaming): cutting the connection is the only way to
      // tell the client that what it got is incomplete.
      return next(err);
    }
    const { error, unknown } = classifyAndLog(err, req.path);
    const status = error.status;
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
