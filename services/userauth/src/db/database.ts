import { type Logger, openDatabase, readyDatabase } from '@notes/kit';
import type { Sequelize } from 'sequelize';
import type { DatabaseConfig } from '../config.js';
import { migrations } from './migrations.js';

export function openUserauthDatabase(config: DatabaseConfig): Sequelize {
  return openDatabase({ url: config.dbUrl, password: config.dbPassword });
}

/**
 * Waits for the userauth database, then applies the pending migrations (`migrate`) or refuses while
 * any is pending; resolves with the names applied, throws a StartupError with one line otherwise.
 */
export function readyUserauthDatabase(
  db: Sequelize,
  config: DatabaseConfig,
  migrate: boolean,
  logger: Logger,
): Promise<string[]> {
  const where = describeDatabase(config.dbUrl);
  return readyDatabase(db, {
    migrations,
    migrate,
    timeoutMs: config.dbWaitSeconds * 1000,
    logger,
    messages: {
      unreachable: `database unreachable: ${where}`,
      pending: (names) =>
        `${names.length} database migration(s) pending on ${where}: run the migrate command (node dist/migrate.js) or set USERAUTH_MIGRATE_ON_START=true`,
    },
  });
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
