import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

// The clock is given to every call, so these are exact and take no time.
describe('TokenBucket', () => {
  it('lets a full burst through, then one token per 1/rate seconds', () => {
    const bucket = new TokenBucket({ perSecond: 5, burst: 20 }, 0);
    const first = Array.from({ length: 25 }, () => bucket.take(0));
    expect(first.filter(Boolean)).toHaveLength(20);
    expect(bucket.take(100)).toBe(false);
    expect(bucket.take(200)).toBe(true);
    expect(bucket.take(200)).toBe(false);
  });

  it('never holds more than its burst, and says when it is full again', () => {
    const bucket = new TokenBucket({ perSecond: 5, burst: 3 }, 0);
    bucket.take(0);
    expect(bucket.full(0)).toBe(false);
    expect(bucket.full(60_000)).toBe(true);
    const later = Array.from({ length: 5 }, () => bucket.take(60_000));
    expect(later).toEqual([true, true, true, false, false]);
  });

  it('ignores a clock that goes backwards', () => {
    const bucket = new TokenBucket({ perSecond: 1, burst: 1 }, 10_000);
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(5_000)).toBe(false);
    expect(bucket.take(10_500)).toBe(false);
    expect(bucket.take(11_000)).toBe(true);
  });
});
