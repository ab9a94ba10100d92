import type { IncomingMessage } from 'node:http';

/**
 * The route template that served a request (`/notes/view`, `/users/login`), read from what Express
 * leaves on the request once a route matched; never the raw URL (unbounded series). Requests no
 * route matched are `static` (assets, Socket.IO's client) when answered, else `unmatched`.
 */
export function routeOf(req: IncomingMessage, status: number): string {
  const r = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  if (r.route && typeof r.route.path === 'string') return `${r.baseUrl ?? ''}${r.route.path}` || '/';
  if ((req.url ?? '').startsWith('/socket.io/')) return '/socket.io/';
  return status === 404 ? 'unmatched' : 'static';
}
