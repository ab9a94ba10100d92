import type { Logger } from '@notes/kit';
import { LoginLimiter } from '../auth/login-limiter.js';
import type { NotesConfig } from '../config.js';
import type { NotesStores } from '../start/stores.js';
import { databaseCounters } from './database-counters.js';
import { redisCounters } from './redis-counters.js';
import { memoryBuckets, redisBuckets } from './token-buckets.js';
import { WriteLimiter } from './write-limiter.js';

/**
 * The login and write limiters on the opened stores: shared by every replica through Redis where it
 * is configured; otherwise failure counters in the notes database and write buckets in memory (the
 * embedded mode is one replica). README "Login limits", "Write limits".
 */
export function createLimiters(config: NotesConfig, stores: NotesStores, logger: Logger) {
  const { db, redis } = stores;
  const prefix = config.NOTES_REDIS_PREFIX;
  const login = new LoginLimiter(
    redis ? redisCounters(redis.main, prefix) : databaseCounters(db),
    {
      perClient: config.NOTES_LOGIN_LIMIT_PER_CLIENT,
      perUser: config.NOTES_LOGIN_LIMIT_PER_USER,
      windowMs: config.NOTES_LOGIN_LIMIT_WINDOW_SECONDS * 1000,
      delayBaseMs: config.NOTES_LOGIN_DELAY_BASE_MS,
      delayMaxMs: config.NOTES_LOGIN_DELAY_MAX_MS,
    },
    logger,
  );
  const shape = { perSecond: config.NOTES_WRITE_LIMIT_PER_SECOND, burst: config.NOTES_WRITE_LIMIT_BURST };
  const writes = new WriteLimiter(
    shape,
    redis ? redisBuckets(redis.main, prefix, shape) : memoryBuckets(shape),
    logger,
  );
  return { login, writes };
}
