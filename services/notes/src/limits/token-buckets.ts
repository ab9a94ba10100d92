import type { createClient } from 'redis';
import { type BucketShape, TokenBucket } from './token-bucket.js';

type RedisClient = ReturnType<typeof createClient>;

/** Token buckets by name (e.g. one per user), all of one shape. */
export interface TokenBuckets {
  /** Takes one token from `name`'s bucket; false when it is empty. */
  take(name: string): Promise<boolean>;
}

/** Above this many buckets, full ones are forgotten. */
const SWEEP_ABOVE = 10_000;

/** Buckets in this process: the embedded mode (no Redis) runs a single replica. */
export function memoryBuckets(shape: BucketShape): TokenBuckets {
  const buckets = new Map<string, TokenBucket>();
  return {
    async take(name) {
      const now = Date.now();
      let bucket = buckets.get(name);
      if (!bucket) {
        if (buckets.size >= SWEEP_ABOVE) for (const [k, b] of buckets) if (b.full(now)) buckets.delete(k);
        bucket = new TokenBucket(shape, now);
        buckets.set(name, bucket);
      }
      return bucket.take(now);
    },
  };
}

// The bucket as a hash {t: last refill (ms, Redis clock), n: tokens}, refilled and taken in one step;
// it expires once it would be full again.
const TAKE = `local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 't', 'n')
local last = tonumber(state[1]) or now
local tokens = tonumber(state[2]) or burst
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 't', now, 'n', tostring(tokens))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
return ok`;

/** Buckets in Redis (`<prefix>:bucket:<name>`), shared by every replica: one round trip per take. */
export function redisBuckets(client: RedisClient, prefix: string, shape: BucketShape): TokenBuckets {
  const args = [String(shape.perSecond), String(shape.burst)];
  return {
    async take(name) {
      const ok = await client.eval(TAKE, { keys: [`${prefix}:bucket:${name}`], arguments: args });
      return Number(ok) === 1;
    },
  };
}
