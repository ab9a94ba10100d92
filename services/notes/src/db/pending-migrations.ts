import { createMigrator } from '@notes/kit';
import type { Sequelize } from 'sequelize';
import { migrations } from './migrations.js';

/** Names of the migrations not yet applied to this database. */
export async function pendingMigrations(db: Sequelize): Promise<string[]> {
  const pending = await createMigrator(db, migrations).pending();
  return pending.map((m) => m.name);
}
