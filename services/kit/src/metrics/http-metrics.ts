import { Histogram, type Registry } from 'prom-client';

/** Seconds; from a fast cached page to a slow bcrypt login or a stalled store. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type ObserveRequest = (method: string, route: string, status: number, seconds: number) => void;

/**
 * `http_request_duration_seconds{method,route,status}`. `route` is the route template
 * (`/notes/view`, `/find/:username`), never the raw URL, so the number of series stays bounded.
 */
export function httpRequestMetrics(registry: Registry): ObserveRequest {
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return (method, route, status, seconds) =>
    histogram.observe({ method, route, status: String(status) }, seconds);
}

/** Seconds since a process.hrtime.bigint() start. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
