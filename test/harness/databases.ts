import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import './context.js';
import { adminQuery, createDatabaseSql, databaseUrl } from './mysql-admin.js';

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

/** Creates a uniquely named, empty utf8mb4 database (on the run's MariaDB unless `admin` names another); drop() removes it. */
export async function createTestDatabase(prefix = 't', admin = mysqlAdminUrl()): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_')}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await adminQuery(admin, createDatabaseSql(name));
  return {
    url: databaseUrl(admin, name),
    name,
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS \`${name}\``),
  };
}
