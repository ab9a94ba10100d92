import { Histogram, type Registry } from 'prom-client';
import type { Sequelize } from 'sequelize';
import { LATENCY_BUCKETS, secondsSince } from './http-metrics.js';

/**
 * `db_query_duration_seconds{operation}` (SELECT, INSERT, UPDATE, ... as Sequelize classifies the
 * query) from Sequelize's beforeQuery/afterQuery hooks: every statement the service sends, timed
 * from the moment it has a connection until the answer. Failed queries count too (afterQuery runs
 * in a finally).
 */
export function instrumentDatabase(db: Sequelize, registry: Registry): void {
  const histogram = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database queries by operation',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const started = new WeakMap<object, bigint>();
  const hooks = db as unknown as {
    addHook(name: string, fn: (options: { type?: string }, query: object) => void): void;
  };
  hooks.addHook('beforeQuery', (_options, query) => {
    started.set(query, process.hrtime.bigint());
  });
  hooks.addHook('afterQuery', (options, query) => {
    const start = started.get(query);
    if (start === undefined) return;
    started.delete(query);
    histogram.observe({ operation: String(options.type ?? 'RAW').toUpperCase() }, secondsSince(start));
  });
}
