import {
  type DestinationStream,
  type Logger,
  pino,
  destination as pinoDestination,
  stdTimeFunctions,
} from 'pino';
import { prettyDestination } from './log-format.js';

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

/**
 * Logs on stdout with secrets redacted: one JSON object a line, or, when stdout is a terminal (a
 * person running `pnpm start`), the same records as readable lines (log-format.ts; colours unless
 * NO_COLOR is set). Tests may pass their own destination.
 */
export function createLogger(service: string, level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: stdTimeFunctions.isoTime,
    },
    destination ?? defaultDestination(),
  );
}

function defaultDestination(): DestinationStream {
  const out = process.stdout;
  if (!out.isTTY) return pinoDestination({ fd: 1, sync: false });
  const color = !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return prettyDestination(out, color);
}
