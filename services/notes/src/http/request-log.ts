import type { Logger } from '@notes/kit';
import type { RequestHandler } from 'express';
import { loggedPath } from './logged-path.js';

const QUIET = new Set(['/healthz', '/readyz']);

/**
 * One JSON line per request when it is answered (or abandoned): method, path, status, time. No
 * headers or query strings, so no cookies or tokens, and a share link's token masked in the path. Written with the service logger directly
 * rather than a child logger per request (pino-http), which cost about a tenth of a home page's
 * CPU in the benchmark profiles.
 */
export function requestLog(logger: Logger): RequestHandler {
  let next = 0;
  return (req, res, proceed) => {
    const path = req.path;
    if (QUIET.has(path)) {
      proceed();
      return;
    }
    const id = ++next;
    const started = process.hrtime.bigint();
    const done = (completed: boolean) => {
      const status = res.statusCode;
      // A 503 is a dependency away (already warned about once by the error handler), not a fault
      // of this service: a warning, so that an outage under load does not read as an error per request.
      const level =
        !completed || status === 503 ? 'warn' : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      logger[level](
        { reqId: id, req: { id, method: req.method, path: loggedPath(path) }, res: { status }, responseTime },
        completed ? 'request completed' : 'request aborted',
      );
    };
    res.once('finish', () => done(true));
    res.once('close', () => {
      if (!res.writableFinished) done(false);
    });
    proceed();
  };
}
