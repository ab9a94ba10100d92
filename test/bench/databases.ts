import { createConnection } from 'mysql2/promise';

/** Creates (or recreates) a utf8mb4 database on the MariaDB admin URL; returns its mysql:// URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new URL(adminUrl);
  const conn = await createConnection({
    host: admin.hostname,
    port: Number(admin.port || 3306),
    user: decodeURIComponent(admin.username || 'root'),
    password: decodeURIComponent(admin.password),
  });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return url.toString();
}
