import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from './logger.js';

export interface Migration {
  name: string;
  up: (qi: QueryInterface, db: Sequelize) => Promise<void>;
  down: (qi: QueryInterface, db: Sequelize) => Promise<void>;
}

/**
 * Runs the given migrations (in order) with umzug, recording them in a `migrations` table.
 * Migrations are plain TypeScript objects listed in code, so they ship in the compiled image.
 */
export function createMigrator(db: Sequelize, migrations: Migration[], logger?: Logger) {
  return new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: () => m.up(db.getQueryInterface(), db),
      down: () => m.down(db.getQueryInterface(), db),
    })),
    storage: new SequelizeStorage({ sequelize: db, tableName: 'migrations' }),
    logger: logger
      ? {
          info: (msg) => logger.info(msg, 'migration'),
          warn: (msg) => logger.warn(msg, 'migration'),
          error: (msg) => logger.error(msg, 'migration'),
          debug: () => {},
        }
      : undefined,
  });
}

export async function migrateUp(db: Sequelize, migrations: Migration[], logger?: Logger): Promise<string[]> {
  const done = await createMigrator(db, migrations, logger).up();
  return done.map((m) => m.name);
}
