import { AppError } from '@notes/kit';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

export interface LoginLimits {
  perClient: number;
  perUser: number;
  windowMs: number;
}

const tooMany = () =>
  new AppError('too_many_requests', 'Too many login attempts; wait a few minutes and try again');

/**
 * Failed logins are limited per client address and per username (so spreading a guess over many
 * addresses does not help). Successful logins do not count. Counters are kept per replica.
 */
export function loginRateLimits(limits: LoginLimits): RequestHandler[] {
  const common = {
    windowMs: limits.windowMs,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    handler: (_req: unknown, _res: unknown, next: (err: unknown) => void) => next(tooMany()),
  };
  return [
    rateLimit({
      ...common,
      limit: limits.perClient,
      keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? '')}`,
    }),
    rateLimit({
      ...common,
      limit: limits.perUser,
      keyGenerator: (req) => {
        const name = (req.body as Record<string, unknown> | undefined)?.username;
        return `user:${typeof name === 'string' ? name.trim().toLowerCase().slice(0, 100) : ''}`;
      },
    }),
  ];
}
