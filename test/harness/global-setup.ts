import type { TestProject } from 'vitest/node';
import './context.js';
import { startMariadb, type Throwaway } from './mariadb.js';
import { startRedis } from './redis.js';

/**
 * Gives each test run its own MariaDB and Redis: TEST_MYSQL_URL / TEST_REDIS_URL when set,
 * otherwise throwaway servers on free loopback ports, stopped afterwards.
 */
export default async function setup(project: TestProject) {
  const started: Throwaway[] = [];
  try {
    let mysqlUrl = process.env.TEST_MYSQL_URL;
    let redisUrl = process.env.TEST_REDIS_URL;
    const [mysql, redis] = await Promise.all([
      mysqlUrl ? undefined : startMariadb(),
      redisUrl ? undefined : startRedis(),
    ]);
    if (mysql) started.push(mysql);
    if (redis) started.push(redis);
    mysqlUrl ??= mysql!.url;
    redisUrl ??= redis!.url;
    process.env.TEST_MYSQL_URL = mysqlUrl;
    process.env.TEST_REDIS_URL = redisUrl;
    project.provide('mysqlUrl', mysqlUrl);
    project.provide('redisUrl', redisUrl);
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw new Error(`test harness: ${(err as Error).message}`);
  }
  return async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
}
