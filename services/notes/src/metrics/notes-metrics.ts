import type { Server as HttpServer } from 'node:http';
import { databaseReachable, type Logger } from '@notes/kit';
import {
  createMetricsRegistry,
  dependencyMetrics,
  httpRequestMetrics,
  instrumentDatabase,
  secondsSince,
  startMetricsServer,
} from '@notes/kit/metrics';
import type { UserauthClient } from '@notes/userauth/client';
import type { Server as SocketServer } from 'socket.io';
import type { CollabWiring } from '../collab/collab-wiring.js';
import type { NotesConfig } from '../config.js';
import { HOME, NOTES } from '../realtime/broadcaster.js';
import type { NotesStores } from '../start/stores.js';
import { instrumentCollab } from './collab-metrics.js';
import { routeOf } from './http-route.js';
import { instrumentRedis } from './redis-metrics.js';
import { instrumentSockets } from './socket-metrics.js';
import { instrumentUserauth } from './userauth-metrics.js';

export interface NotesMetricsDeps {
  http: HttpServer;
  io: SocketServer;
  userauth: UserauthClient;
  collab: CollabWiring;
  logger: Logger;
}

export interface NotesMetrics {
  port: number | undefined;
  close(): Promise<void>;
}

/**
 * svc-notes' Prometheus metrics (README "Monitoring" lists them), served on their own port
 * (NOTES_METRICS_PORT; unset = off, nothing is instrumented). Hooks
 * into the pieces server.ts builds without changing them: the HTTP server's request event,
 * Sequelize hooks, node-redis' tracing channel, the Socket.IO adapters and the userauth client.
 */
export async function startNotesMetrics(
  config: Pick<NotesConfig, 'NOTES_METRICS_PORT' | 'HOST'>,
  stores: Pick<NotesStores, 'db' | 'redis'>,
  deps: NotesMetricsDeps,
): Promise<NotesMetrics> {
  if (config.NOTES_METRICS_PORT === undefined) return { port: undefined, close: async () => {} };
  const registry = createMetricsRegistry('notes');
  const observe = httpRequestMetrics(registry);
  const logins = instrumentUserauth(deps.userauth, registry);
  deps.http.on('request', (req, res) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeOf(req, res.statusCode);
      observe(req.method ?? 'GET', route, res.statusCode, secondsSince(start));
      if (route === '/users/login' && req.method === 'POST' && res.statusCode === 429)
        logins.inc({ result: 'rate_limited' });
    });
  });
  instrumentDatabase(stores.db, registry);
  const stopRedis = instrumentRedis(registry);
  instrumentSockets(deps.io, registry, [HOME, NOTES]);
  instrumentCollab(deps.collab, registry);
  const redis = stores.redis?.main;
  dependencyMetrics(registry, 'notes_dependency_up', {
    database: () => databaseReachable(stores.db),
    ...(redis ? { redis: async () => (await redis.ping()) === 'PONG' } : {}),
    userauth: () => deps.userauth.ready(),
  });
  const server = await startMetricsServer(registry, config.NOTES_METRICS_PORT, config.HOST);
  deps.logger.info({ port: server.port }, `metrics on ${config.HOST}:${server.port}/metrics`);
  return {
    port: server.port,
    close: async () => {
      stopRedis();
      await server.close();
    },
  };
}
