import { AppError, databaseReachable } from '@notes/kit';
import type { Request, Response, Server } from 'restify';
import type { Sequelize } from 'sequelize';

export const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** /healthz: the process answers; /readyz: and its database too. No API key needed. */
export function registerHealthRoutes(server: Server, db: Sequelize): void {
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    if (!(await databaseReachable(db))) throw AppError.unavailable('database unreachable');
    res.send(200, { status: 'ready' });
  });
}
