import { adminQuery, createDatabaseSql, databaseUrl } from '@notes/testkit';

/** Creates (or recreates) a utf8mb4 database on the MariaDB admin URL; returns its mysql:// URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS \`${name}\``, createDatabaseSql(name));
  return databaseUrl(adminUrl, name);
}
