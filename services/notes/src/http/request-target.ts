import type { RequestHandler } from 'express';

/**
 * A request target that is not a path (`OPTIONS *`, an absolute-form `GET http://host/`) is a
 * client error: 400 before any session or route work, logged by the request log at warn.
 */
export const requirePathTarget: RequestHandler = (req, res, next) => {
  if (req.url.startsWith('/')) return next();
  res.status(400).type('text/plain').send('Bad Request: the request target must be a path');
};
