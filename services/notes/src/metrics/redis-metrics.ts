import { tracingChannel } from 'node:diagnostics_channel';
import { LATENCY_BUCKETS, secondsSince } from '@notes/kit/metrics';
import { Counter, Histogram, type Registry } from 'prom-client';

interface CommandContext {
  command?: string;
  metricsStart?: bigint;
}

/**
 * `redis_command_duration_seconds{command}` and `redis_command_errors_total{command}`, from the
 * tracing channel node-redis publishes every command on (sessions, the Socket.IO adapter's
 * publishes, readiness pings). Returns the unsubscribe function.
 */
export function instrumentRedis(registry: Registry): () => void {
  const duration = new Histogram({
    name: 'redis_command_duration_seconds',
    help: 'Redis commands sent by svc-notes, by command',
    labelNames: ['command'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'redis_command_errors_total',
    help: 'Redis commands that failed (connection lost, server error), by command',
    labelNames: ['command'] as const,
    registers: [registry],
  });
  const channel = tracingChannel<CommandContext, CommandContext>('node-redis:command');
  const handlers = {
    start(ctx: CommandContext) {
      ctx.metricsStart = process.hrtime.bigint();
    },
    end() {},
    asyncStart() {},
    asyncEnd(ctx: CommandContext) {
      if (ctx.metricsStart !== undefined)
        duration.observe({ command: ctx.command ?? 'unknown' }, secondsSince(ctx.metricsStart));
    },
    error(ctx: CommandContext) {
      errors.inc({ command: ctx.command ?? 'unknown' });
    },
  };
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}
