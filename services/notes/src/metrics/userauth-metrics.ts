import { AppError } from '@notes/kit';
import { LATENCY_BUCKETS, secondsSince } from '@notes/kit/metrics';
import type { UserauthClient } from '@notes/userauth/client';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The client's calls that reach svc-userauth (findOrNull goes through find, so it is not listed). */
const CALLS = [
  'createUser',
  'findOrCreate',
  'find',
  'list',
  'updateUser',
  'destroy',
  'passwordCheck',
  'ready',
] as const;
/** Answers that are a normal outcome of the call, not a failure of svc-userauth. */
const EXPECTED = new Set(['ok', 'not_found', 'invalid', 'conflict']);

function outcomeOf(err: unknown): string {
  return err instanceof AppError ? err.code : 'error';
}

/**
 * Times every call of the userauth client (wrapping the methods of this one instance, which
 * Passport and the user directory already hold) and counts logins by their result:
 *   notes_userauth_request_duration_seconds{operation,outcome}
 *   notes_userauth_request_failures_total{operation,reason}   unreachable, timed out, 5xx, key refused
 *   notes_logins_total{result}                                 success, rejected, error (rate_limited: see the HTTP hook)
 */
export function instrumentUserauth(client: UserauthClient, registry: Registry): Counter<'result'> {
  const duration = new Histogram({
    name: 'notes_userauth_request_duration_seconds',
    help: 'Calls from svc-notes to svc-userauth by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'notes_userauth_request_failures_total',
    help: 'Calls to svc-userauth that failed (unreachable, timed out, 5xx, API key refused)',
    labelNames: ['operation', 'reason'] as const,
    registers: [registry],
  });
  const logins = new Counter({
    name: 'notes_logins_total',
    help: 'Login attempts by result: success, rejected (wrong name or password), error, rate_limited',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const target = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const operation of CALLS) {
    const original = target[operation]!.bind(client);
    target[operation] = async (...args: unknown[]) => {
      const start = process.hrtime.bigint();
      let outcome = 'ok';
      try {
        const result = await original(...args);
        // ready() reports an unreachable service as false instead of throwing.
        if (operation === 'ready' && result === false) outcome = 'unavailable';
        if (operation === 'passwordCheck')
          logins.inc({ result: (result as { check?: boolean }).check ? 'success' : 'rejected' });
        return result;
      } catch (err) {
        outcome = outcomeOf(err);
        if (operation === 'passwordCheck')
          logins.inc({ result: outcome === 'invalid' || outcome === 'not_found' ? 'rejected' : 'error' });
        throw err;
      } finally {
        duration.observe({ operation, outcome }, secondsSince(start));
        if (!EXPECTED.has(outcome)) failures.inc({ operation, reason: outcome });
      }
    };
  }
  return logins;
}
