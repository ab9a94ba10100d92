import type { createClient } from 'redis';
import type { CounterStore } from './counter-store.js';

type RedisClient = ReturnType<typeof createClient>;

// INCR and the expiry of a fresh counter in one step, so a counter never outlives its window.
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** Counters as Redis keys `<prefix>:limit:<name>` with a TTL. */
export function redisCounters(client: RedisClient, prefix: string): CounterStore {
  const key = (name: string) => `${prefix}:limit:${name}`;
  return {
    async hit(name, windowMs) {
      return Number(await client.eval(HIT, { keys: [key(name)], arguments: [String(windowMs)] }));
    },
    async counts(names) {
      if (names.length === 0) return [];
      const values = await client.mGet(names.map(key));
      return values.map((v) => (v === null ? 0 : Number(v) || 0));
    },
    async clear(names) {
      if (names.length > 0) await client.del(names.map(key));
    },
  };
}
