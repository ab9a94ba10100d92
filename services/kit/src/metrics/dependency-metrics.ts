import { Gauge, type Registry } from 'prom-client';

export type DependencyCheck = () => Promise<boolean>;

const TIMEOUT_MS = 2000;

function within(check: DependencyCheck, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    check().then(
      (ok) => {
        clearTimeout(timer);
        resolve(ok);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/**
 * `<name>{dependency}`: 1 when the dependency answers within 2 s, else 0, checked at every scrape
 * (the same checks as /readyz), so an alert says which store is unreachable from which replica.
 */
export function dependencyMetrics(
  registry: Registry,
  name: string,
  checks: Record<string, DependencyCheck>,
): void {
  new Gauge({
    name,
    help: 'Whether a dependency answers (1) or not (0), checked at scrape time within 2 s',
    labelNames: ['dependency'] as const,
    registers: [registry],
    async collect() {
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((n) => within(checks[n]!, TIMEOUT_MS)));
      for (const [i, n] of names.entries()) this.set({ dependency: n }, results[i] ? 1 : 0);
    },
  });
}
