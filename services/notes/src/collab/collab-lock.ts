import { randomBytes } from 'node:crypto';

/** A lock per note that one replica at a time holds (compaction). */
export interface CollabLock {
  /** Runs `work` holding the lock of `key`; resolves false (without running it) when another holds it. */
  run(key: string, work: () => Promise<void>): Promise<boolean>;
}

interface RedisLike {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * In this process: one holder per key. With Redis also across replicas: SET NX with an expiry (a
 * replica killed while holding it blocks the others for at most `ttlMs`), released only by its
 * holder's token. Compaction stays correct even if two ran at once (its writes are conditional).
 */
export function collabLock(redis: RedisLike | undefined, prefix: string, ttlMs = 15_000): CollabLock {
  const held = new Set<string>();
  return {
    async run(key, work) {
      if (held.has(key)) return false;
      held.add(key);
      const name = `${prefix}:collab:lock:${key}`;
      const token = randomBytes(12).toString('hex');
      try {
        if (redis && (await redis.set(name, token, { NX: true, PX: ttlMs })) !== 'OK') return false;
        try {
          await work();
        } finally {
          if (redis) await redis.eval(RELEASE, { keys: [name], arguments: [token] }).catch(() => {});
        }
        return true;
      } finally {
        held.delete(key);
      }
    },
  };
}
