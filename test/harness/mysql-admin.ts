import { createConnection } from 'mysql2/promise';

/** Runs statements on a MariaDB server as the admin of its URL (mysql://user[:pass]@host:port/). */
export async function adminQuery(adminUrl: string, ...statements: string[]): Promise<void> {
  const admin = new URL(adminUrl);
  const conn = await createConnection({
    host: admin.hostname,
    port: Number(admin.port || 3306),
    user: decodeURIComponent(admin.username || 'root'),
    password: decodeURIComponent(admin.password),
  });
  try {
    for (const sql of statements) await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** The statement that creates an empty utf8mb4 database. */
export function createDatabaseSql(name: string): string {
  return `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
}

/** The admin URL with the database part set to `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
