import { AppError } from '@notes/kit/errors';
import type { UserUpdate } from '../client/index.js';
import { inFlagTerms } from './fields.js';

/** Exit codes of the CLI (documented in --help and the README). */
export const EXIT = {
  ok: 0,
  /** password-check answered "wrong password" */
  checkFailed: 1,
  /** bad arguments, no key, invalid input (400) */
  usage: 2,
  notFound: 3,
  conflict: 4,
  unauthorized: 5,
  unavailable: 6,
  internal: 7,
} as const;

export type ExitKind = keyof typeof EXIT;

/** An expected CLI failure: one line on stderr, a specific exit code. */
export class CliError extends Error {
  readonly kind: ExitKind;
  constructor(kind: ExitKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/**
 * The one line and the exit code for any error; input errors name the options typed (`sent`: the
 * fields they gave) rather than the API's field paths.
 */
export function describeFailure(err: unknown, sent: UserUpdate = {}): { line: string; code: number } {
  if (err instanceof CliError) return { line: err.message, code: EXIT[err.kind] };
  if (err instanceof AppError) {
    switch (err.code) {
      case 'invalid':
        return { line: `invalid input: ${inFlagTerms(err.message, sent)}`, code: EXIT.usage };
      case 'not_found':
        return { line: `not found: ${err.message}`, code: EXIT.notFound };
      case 'conflict':
        return { line: `conflict: ${err.message}`, code: EXIT.conflict };
      case 'unauthorized':
        return {
          line: `the service refused the API key (${err.message}); check --api-key or USERAUTH_API_KEY`,
          code: EXIT.unauthorized,
        };
      case 'unavailable':
        return {
          line: `${err.message} (is it running? set --url or USERAUTH_URL)`,
          code: EXIT.unavailable,
        };
      default:
        return { line: `service error: ${err.message}`, code: EXIT.internal };
    }
  }
  return {
    line: `unexpected error: ${err instanceof Error ? err.message : String(err)}`,
    code: EXIT.internal,
  };
}
