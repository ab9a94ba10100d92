import { ConnectionError } from 'sequelize';

/** Driver codes of a lost or refused database connection (mysql2 / MariaDB and the OS). */
const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_GONE_ERROR',
  'ER_SERVER_LOST',
  'SQLITE_BUSY',
]);

/**
 * True when an error means "the database cannot be reached right now" (refused, lost, timed out,
 * shutting down), as opposed to a bug or bad data: such errors are answered 503 and retried by the
 * pool on the next request, never logged with a stack.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof ConnectionError) return true;
  if (!(err instanceof Error)) return false;
  if (err.name === 'SequelizeConnectionAcquireTimeoutError') return true;
  const inner =
    (err as { original?: unknown; parent?: unknown }).original ?? (err as { parent?: unknown }).parent ?? err;
  const { code, message } = (inner ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return typeof message === 'string' && /connection is in closed state|Connection lost/i.test(message);
}
