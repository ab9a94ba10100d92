import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreBackends, type StoreBackends, type TestRedisClient } from '../testing/store-backends.js';
import type { CounterStore } from './counter-store.js';
import { databaseCounters } from './database-counters.js';
import { redisCounters } from './redis-counters.js';
import { redisBuckets } from './token-buckets.js';

let backends: StoreBackends;
let redis: TestRedisClient;
const stores: Record<string, CounterStore> = {};

beforeAll(async () => {
  backends = await openStoreBackends('notes_counters');
  redis = backends.redis;
  stores.redis = redisCounters(redis, `t${randomBytes(4).toString('hex')}`);
  for (const { name, db } of backends.databases) stores[name] = databaseCounters(db);
});

afterAll(async () => {
  await backends?.close();
});

describe.each(['redis', 'mariadb', 'sqlite'])('failure counters in %s', (kind) => {
  const store = () => stores[kind]!;

  it('counts hits per name, reads several at once, forgets on clear', async () => {
    expect(await store().hit('a', 60_000)).toBe(1);
    expect(await store().hit('a', 60_000)).toBe(2);
    expect(await store().hit('b', 60_000)).toBe(1);
    expect(await store().counts(['a', 'b', 'missing'])).toEqual([2, 1, 0]);
    await store().clear(['a']);
    expect(await store().counts(['a', 'b'])).toEqual([0, 1]);
  });

  it('loses no hit when replicas count at once', async () => {
    const counts = await Promise.all(Array.from({ length: 40 }, () => store().hit('together', 60_000)));
    expect(await store().counts(['together'])).toEqual([40]);
    expect(new Set(counts).size).toBeGreaterThan(1);
  });

  it('a window ends: the next hit starts again from 1', async () => {
    await store().hit('short', 1);
    await store().hit('short', 1);
    await sleep(30);
    expect(await store().counts(['short'])).toEqual([0]);
    expect(await store().hit('short', 60_000)).toBe(1);
  });
});

describe('token buckets in Redis', () => {
  it('let a burst through, then refuse; the bucket is shared by every client of the name', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const a = redisBuckets(redis, prefix, { perSecond: 0.001, burst: 3 });
    const b = redisBuckets(redis, prefix, { perSecond: 0.001, burst: 3 });
    const taken = [await a.take('u'), await b.take('u'), await a.take('u'), await b.take('u')];
    expect(taken).toEqual([true, true, true, false]);
    expect(await a.take('someone-else')).toBe(true);
  });
});
