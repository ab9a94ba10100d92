import { databaseReachable, type Logger } from '@notes/kit';
import {
  createMetricsRegistry,
  dependencyMetrics,
  httpRequestMetrics,
  instrumentDatabase,
  type MetricsServer,
  startMetricsServer,
} from '@notes/kit/metrics';
import type { Request, Response, Route, Server } from 'restify';
import type { Sequelize } from 'sequelize';
import type { ServiceConfig } from '../config.js';

export interface UserauthMetricsDeps {
  server: Server;
  db: Sequelize;
  logger: Logger;
}

/**
 * svc-userauth's Prometheus metrics on their own port (USERAUTH_METRICS_PORT; unset = off, nothing
 * is instrumented): request durations by route template
 * (Restify's `after` event), database query latency (Sequelize hooks), Node's process metrics.
 */
export async function startUserauthMetrics(
  config: Pick<ServiceConfig, 'metricsPort' | 'host'>,
  deps: UserauthMetricsDeps,
): Promise<MetricsServer | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const registry = createMetricsRegistry('userauth');
  const observe = httpRequestMetrics(registry);
  deps.server.on('after', (req: Request, res: Response, route: Route | undefined) => {
    const template = route?.spec?.path ?? req.getRoute?.()?.path;
    const name = typeof template === 'string' ? template : res.statusCode === 404 ? 'unmatched' : 'other';
    observe(req.method ?? 'GET', name, res.statusCode, Math.max(0, Date.now() - req.time()) / 1000);
  });
  instrumentDatabase(deps.db, registry);
  dependencyMetrics(registry, 'userauth_dependency_up', { database: () => databaseReachable(deps.db) });
  const server = await startMetricsServer(registry, config.metricsPort, config.host);
  deps.logger.info({ port: server.port }, `metrics on ${config.host}:${server.port}/metrics`);
  return server;
}
