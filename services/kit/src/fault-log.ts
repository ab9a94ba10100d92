import type { Logger } from './logger.js';

/**
 * Warnings about a dependency that is away, at most one line per dependency per interval: an
 * outage under load then costs a few log lines (with how many failures they stand for), not one
 * line, let alone one stack, per request.
 */
export class FaultLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 5000,
  ) {}

  warn(dependency: string, message: string, fields: Record<string, unknown> = {}): void {
    const now = Date.now();
    const seen = this.last.get(dependency);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(dependency, { at: now, suppressed: 0 });
    this.logger.warn(
      { dependency, ...fields, ...(suppressed ? { alsoFailedSinceLastLine: suppressed } : {}) },
      message,
    );
  }
}
