import { createMigrator, openDatabase } from '@notes/kit';
import type { Sequelize } from 'sequelize';
import type { DatabaseConfig } from './config.js';
import { migrations } from './migrations/index.js';

export function openUserauthDatabase(config: DatabaseConfig): Sequelize {
  return openDatabase({ url: config.dbUrl, password: config.dbPassword });
}

/** Names of the migrations not yet applied. */
export async function pendingMigrations(db: Sequelize): Promise<string[]> {
  return (await createMigrator(db, migrations).pending()).map((m) => m.name);
}

/** Where the database is, for messages: never the password. */
export function describeDatabase(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
    return `mysql://${u.host}${u.pathname}`;
  } catch {
    return 'mysql database';
  }
}
