import { createMigrator, databaseReachable, openDatabase } from '@notes/kit';
import type { Sequelize } from 'sequelize';
import type { DatabaseConfig } from './config.js';
import { migrations } from './migrations/index.js';

export function openUserauthDatabase(config: DatabaseConfig): Sequelize {
  return openDatabase({ url: config.dbUrl, password: config.dbPassword });
}

/** Waits up to `seconds` for the database to answer (compose starts it alongside). */
export async function waitForDatabase(db: Sequelize, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await databaseReachable(db)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
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
