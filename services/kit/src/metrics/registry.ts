import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry of its own per service (never prom-client's global one, so tests may run several
 * services in one process), with Node's process metrics (CPU, memory, event-loop lag, handles).
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
