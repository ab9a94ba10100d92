/** Nearest-rank percentile (p in 0..100) of unsorted numbers; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function distribution(values: readonly number[]): Distribution {
  // One sort, and min/max from it: Math.min(...values) overflows the call stack past ~120,000
  // values (the collab phase's deliveries on a quiet machine).
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const none = sorted.length === 0;
  return {
    count: sorted.length,
    min: none ? Number.NaN : sorted[0]!,
    p50: none ? Number.NaN : at(50),
    p90: none ? Number.NaN : at(90),
    p99: none ? Number.NaN : at(99),
    max: none ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

export const round = (n: number, digits = 2) =>
  Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n;

/** a / b, or NaN when b is zero or either is not finite. */
export const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
