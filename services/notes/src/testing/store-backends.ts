import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateUp, openDatabase } from '@notes/kit';
import { createTestDatabase, redisUrl } from '@notes/testkit/vitest';
import { createClient } from 'redis';
import type { Sequelize } from 'sequelize';
import { migrations } from '../db/migrations.js';

export type TestRedisClient = ReturnType<typeof createClient>;

/** The run's Redis and two migrated notes databases (a fresh MariaDB one and a SQLite file). */
export interface StoreBackends {
  redis: TestRedisClient;
  databases: Array<{ name: 'mariadb' | 'sqlite'; db: Sequelize }>;
  /** Closes the connections and removes the databases. */
  close(): Promise<void>;
}

/**
 * What a store with a Redis and a database variant (counters, sessions) is tested on: `name` names
 * the MariaDB database and the SQLite file's folder.
 */
export async function openStoreBackends(name: string): Promise<StoreBackends> {
  const redis = createClient({ url: redisUrl() });
  await redis.connect();
  const mysql = await createTestDatabase(name);
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const databases: StoreBackends['databases'] = [];
  for (const [dialect, url] of [
    ['mariadb', mysql.url],
    ['sqlite', `sqlite:${join(dir, 'notes.sqlite')}`],
  ] as const) {
    const db = openDatabase({ url });
    databases.push({ name: dialect, db });
    await migrateUp(db, migrations);
  }
  return {
    redis,
    databases,
    close: async () => {
      await redis.quit();
      for (const { db } of databases) await db.close();
      await mysql.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
