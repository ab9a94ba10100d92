import { AppError, type Logger } from '@notes/kit';
import type { BucketShape } from './token-bucket.js';
import type { TokenBuckets } from './token-buckets.js';

export type WriteLimits = BucketShape;

export const rateLimited = () =>
  new AppError('rate_limited', 'Too many changes in a short time; wait a moment and try again');

/**
 * Writes per user (comments over sockets, note saves over HTTP): one token bucket per user, in
 * Redis when it is configured (so the limit holds across replicas), in memory otherwise (the
 * embedded mode is one replica). If Redis fails, the write is let through (sockets also have their
 * own bucket) and a warning logged: the write itself then meets the store fault.
 */
export class WriteLimiter {
  constructor(
    readonly limits: WriteLimits,
    private readonly users: TokenBuckets,
    private readonly logger: Logger,
  ) {}

  /** True when `username` may write now (takes a token). */
  async allowUser(username: string): Promise<boolean> {
    try {
      return await this.users.take(`w:${username}`);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'write limit not checked: store unavailable');
      return true;
    }
  }
}
