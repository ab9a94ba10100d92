import type { Logger } from '@notes/kit';
import type { Request, Response } from 'restify';

/** One JSON line per request (restify's 'after' event): never headers, bodies or query strings. */
export function requestLogger(logger: Logger) {
  return (req: Request, res: Response) => {
    logger.info(
      {
        reqId: req.getId(),
        method: req.method,
        path: req.getPath(),
        status: res.statusCode,
        ms: Math.round(Date.now() - req.time()),
        client: (req as Request & { apiClient?: string }).apiClient,
      },
      'request',
    );
  };
}
