import type { Sequelize } from 'sequelize';
import { waitForDatabase } from './database.js';
import type { Logger } from './logger.js';
import { createMigrator, type Migration } from './migrations.js';

/**
 * A refusal to start that the operator can act on (database unreachable, migrations pending, a
 * store down): services print its message as one line, without a stack, and exit non-zero.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface ReadyDatabaseOptions {
  migrations: Migration[];
  /** true: apply the pending migrations; false: refuse to go on while any is pending. */
  migrate: boolean;
  /** How long to wait for the database to answer. */
  timeoutMs: number;
  logger?: Logger;
  /** The refusals, in the service's words (each a single line, never a password). */
  messages: { unreachable: string; pending: (names: string[]) => string };
}

/**
 * The one start-up rule of both services and both migrate commands: wait for the database, then
 * migrate, or refuse while migrations are pending. Resolves with the names of the migrations
 * applied; throws StartupError with the service's message otherwise.
 */
export async function readyDatabase(db: Sequelize, options: ReadyDatabaseOptions): Promise<string[]> {
  const { logger, messages } = options;
  const reachable = await waitForDatabase(db, options.timeoutMs, () =>
    logger?.warn('waiting for the database'),
  );
  if (!reachable) throw new StartupError(messages.unreachable);
  const migrator = createMigrator(db, options.migrations, options.migrate ? logger : undefined);
  if (!options.migrate) {
    const pending = (await migrator.pending()).map((m) => m.name);
    if (pending.length > 0) throw new StartupError(messages.pending(pending));
    return [];
  }
  const applied = (await migrator.up()).map((m) => m.name);
  if (applied.length > 0) logger?.info({ migrations: applied }, 'migrations applied');
  return applied;
}
