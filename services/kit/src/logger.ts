import { type Logger, pino, destination as pinoDestination, stdTimeFunctions } from 'pino';

export type { Logger } from 'pino';

/** Paths that must never reach a log line, whatever logs them. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'hash',
  '*.hash',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'body.password',
  'body._csrf',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
];

/** JSON logs on stdout (stderr for tests that want stdout clean), with secrets redacted. */
export function createLogger(service: string, level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: stdTimeFunctions.isoTime,
    },
    destination ?? pinoDestination({ fd: 1, sync: false }),
  );
}
