/** A token bucket's shape: `perSecond` tokens flow in, up to `burst` are kept. */
export interface BucketShape {
  perSecond: number;
  burst: number;
}

/** One token bucket in memory (e.g. of one socket). Starts full. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly shape: BucketShape,
    now = Date.now(),
  ) {
    this.tokens = shape.burst;
    this.at = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now = Date.now()): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when it has refilled completely (it can then be forgotten). */
  full(now = Date.now()): boolean {
    this.refill(now);
    return this.tokens >= this.shape.burst;
  }

  private refill(now: number): void {
    if (now <= this.at) return;
    const elapsed = (now - this.at) / 1000;
    this.tokens = Math.min(this.shape.burst, this.tokens + elapsed * this.shape.perSecond);
    this.at = now;
  }
}
