/**
 * The one error type of both services. Code that knows what went wrong throws an AppError;
 * each service maps it to HTTP in exactly one place. Anything else is an unknown error:
 * logged with the request id and answered with a generic 500.
 */
export type ErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'too_many_requests'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  too_many_requests: 429,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** The request field the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.field = options.field;
  }

  static invalid(field: string, message: string): AppError {
    return new AppError('invalid', `${field}: ${message}`, { field });
  }
  static notFound(message: string): AppError {
    return new AppError('not_found', message);
  }
  static conflict(message: string): AppError {
    return new AppError('conflict', message);
  }
  static unauthorized(message = 'Unauthorized'): AppError {
    return new AppError('unauthorized', message);
  }
  static forbidden(message = 'Forbidden'): AppError {
    return new AppError('forbidden', message);
  }
  static unavailable(message: string, cause?: unknown): AppError {
    return new AppError('unavailable', message, { cause });
  }
  /** A request body over the limit (413), in the same words in both services. */
  static tooLarge(limitBytes: number): AppError {
    return new AppError('too_large', `body: must be at most ${describeBytes(limitBytes)}`, { field: 'body' });
  }
}

function describeBytes(bytes: number): string {
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB (${bytes} bytes)`;
  return `${bytes} bytes`;
}
