import { AppError, FaultLog, isDatabaseUnavailable, type Logger } from '@notes/kit';
import type { Request, Response } from 'restify';

export interface ErrorAnswer {
  status: number;
  body: { code: string; message: string };
}

const INTERNAL: ErrorAnswer = { status: 500, body: { code: 'internal', message: 'Internal error' } };

/** The answer while the user database cannot be reached (refused, lost, timed out). */
export const DATABASE_UNAVAILABLE: ErrorAnswer = {
  status: 503,
  body: { code: 'unavailable', message: 'The user database is unavailable; try again in a moment' },
};

/**
 * What a client sees for an error: AppError as is, a lost database connection a 503, restify's own
 * 4xx normalised, the rest a 500 (undefined here).
 */
export function toErrorAnswer(err: unknown, bodyLimit: number): ErrorAnswer | undefined {
  if (err instanceof AppError) return { status: err.status, body: { code: err.code, message: err.message } };
  if (isDatabaseUnavailable(err)) return DATABASE_UNAVAILABLE;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (status === 404) return { status, body: { code: 'not_found', message: 'No such endpoint' } };
  if (status === 405) return { status, body: { code: 'invalid', message: 'Method not allowed' } };
  if (status === 413) {
    const tooLarge = AppError.tooLarge(bodyLimit);
    return { status: tooLarge.status, body: { code: tooLarge.code, message: tooLarge.message } };
  }
  return { status: 400, body: { code: 'invalid', message: 'Bad request' } };
}

/**
 * What may be logged about an unknown error: its type and driver code, and its message unless it
 * comes from the database layer (whose messages and properties can carry SQL and values).
 * Never the stack, never the error object itself.
 */
export function describeUnknownError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const fromDatabase = /^Sequelize/.test(err.name) || 'sql' in err || 'original' in err;
  const code =
    (err as { original?: { code?: unknown }; code?: unknown }).original?.code ??
    (err as { code?: unknown }).code;
  return {
    type: err.name,
    ...(typeof code === 'string' ? { code } : {}),
    ...(fromDatabase ? {} : { message: err.message.slice(0, 200) }),
  };
}

/** The one place that turns any error into an HTTP answer (restify's 'restifyError' event). */
export function errorHandler(logger: Logger, bodyLimit: number) {
  const faults = new FaultLog(logger);
  return (req: Request, res: Response, err: unknown, done: () => void) => {
    let answer = toErrorAnswer(err, bodyLimit);
    if (answer === DATABASE_UNAVAILABLE) {
      faults.warn('database', 'dependency unavailable', {
        reqId: req.getId(),
        err: describeUnknownError(err),
      });
      res.setHeader('Retry-After', '5');
    }
    if (!answer) {
      logger.error({ reqId: req.getId(), err: describeUnknownError(err) }, 'unhandled error');
      answer = INTERNAL;
    }
    if (!res.headersSent) res.send(answer.status, answer.body);
    done();
  };
}
