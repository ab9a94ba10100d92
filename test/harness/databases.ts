import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { inject } from 'vitest';
import './context.js';

export interface TestDatabase {
  /** mysql://…/<name>, ready for a service's *_DB_URL. */
  url: string;
  name: string;
  drop: () => Promise<void>;
}

/** The run's MariaDB admin URL (from the global setup). */
export function mysqlAdminUrl(): string {
  return process.env.TEST_MYSQL_URL ?? inject('mysqlUrl');
}

/** The run's Redis URL (from the global setup). */
export function redisUrl(): string {
  return process.env.TEST_REDIS_URL ?? inject('redisUrl');
}

/** Creates a uniquely named, empty utf8mb4 database; drop() removes it. */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const admin = new URL(mysqlAdminUrl());
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_')}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const conn = await createConnection({
    host: admin.hostname,
    port: Number(admin.port || 3306),
    user: decodeURIComponent(admin.username || 'root'),
    password: decodeURIComponent(admin.password),
  });
  try {
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = await createConnection({
        host: admin.hostname,
        port: Number(admin.port || 3306),
        user: decodeURIComponent(admin.username || 'root'),
        password: decodeURIComponent(admin.password),
      });
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
