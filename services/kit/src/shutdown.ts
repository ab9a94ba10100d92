import type { Server } from 'node:http';
import type { Logger } from './logger.js';

export type ShutdownStep = { name: string; run: () => Promise<unknown> | unknown };

/**
 * Stops an HTTP server gracefully: no new connections, idle keep-alive sockets closed,
 * in-flight requests allowed to finish (then the rest are cut at the deadline).
 */
export function closeHttpServer(server: Server, deadlineMs = 8000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, deadlineMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Runs the steps in order on SIGTERM/SIGINT (once), then exits 0; exits 1 if they take
 * longer than the deadline. Returns the function so tests and CLIs can trigger it directly.
 */
export function handleShutdown(
  logger: Logger,
  steps: ShutdownStep[],
  deadlineMs = 9500,
): () => Promise<void> {
  let started: Promise<void> | undefined;
  const shutdown = (signal = 'shutdown'): Promise<void> => {
    if (started) return started;
    logger.info({ signal }, 'shutting down');
    const killer = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, deadlineMs);
    killer.unref();
    started = (async () => {
      for (const step of steps) {
        try {
          await step.run();
        } catch (err) {
          logger.warn({ step: step.name, err: (err as Error).message }, 'shutdown step failed');
        }
      }
      logger.info('stopped');
      logger.flush?.();
      clearTimeout(killer);
    })();
    return started;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown(signal).then(() => process.exit(0));
    });
  }
  return () => shutdown();
}
