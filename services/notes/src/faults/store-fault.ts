import { isDatabaseUnavailable } from '@notes/kit';
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';

const REDIS_ERRORS = [
  ClientOfflineError,
  ClientClosedError,
  SocketClosedUnexpectedlyError,
  ConnectionTimeoutError,
  SocketTimeoutError,
  TimeoutError,
  ReconnectStrategyError,
];

/** True for the errors a node-redis client gives while Redis is away (offline, closed, timed out). */
export function isRedisUnavailable(err: unknown): boolean {
  if (REDIS_ERRORS.some((type) => err instanceof type)) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return (
    err instanceof Error &&
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(code) &&
    'syscall' in err
  );
}

/** Which store an error says is away, if any: such errors become 503 answers, never 500s. */
export function unavailableStore(err: unknown): 'redis' | 'database' | undefined {
  if (isRedisUnavailable(err)) return 'redis';
  if (isDatabaseUnavailable(err)) return 'database';
  return undefined;
}
