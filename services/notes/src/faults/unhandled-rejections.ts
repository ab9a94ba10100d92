import type { Logger } from '@notes/kit';
import { unavailableStore } from './store-fault.js';

/**
 * The process-wide safety net for promises nobody awaited. A rejection that only says a store is
 * away (a Redis command of a client that reconnects by itself, e.g. a live event published while
 * Redis restarts, or a lost database connection that the pool replaces) is safe to survive: it is
 * logged as a warning and the process keeps serving. Any other unhandled rejection, and every
 * uncaught exception, means unknown state: it is logged and the process exits 1, so that its
 * supervisor (compose, swarm) starts a clean one.
 */
export function handleUnhandledRejections(logger: Logger, exit: (code: number) => void = process.exit): void {
  process.on('unhandledRejection', (reason) => {
    const store = unavailableStore(reason);
    if (store) {
      logger.warn(
        { dependency: store, err: (reason as Error).message },
        'store unavailable (unawaited command)',
      );
      return;
    }
    logger.error({ err: reason }, 'unhandled rejection; exiting');
    logger.flush?.();
    exit(1);
  });
  process.on('uncaughtException', (err) => {
    logger.error({ err }, 'uncaught exception; exiting');
    logger.flush?.();
    exit(1);
  });
}
