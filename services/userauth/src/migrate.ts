import { configOrExit, createLogger } from '@notes/kit';
import { loadDatabaseConfig } from './config.js';
import { describeDatabase, openUserauthDatabase, readyUserauthDatabase } from './db/database.js';

/** The explicit migrate command: applies pending migrations, exits 0 (1 with one line on failure). */
async function migrate(): Promise<void> {
  const config = configOrExit('userauth-migrate', () => loadDatabaseConfig());
  const logger = createLogger('userauth', config.logLevel);
  const db = openUserauthDatabase(config);
  try {
    const applied = await readyUserauthDatabase(db, config, true, logger);
    process.stdout.write(
      `userauth: ${applied.length} migration(s) applied to ${describeDatabase(config.dbUrl)}${applied.length ? `: ${applied.join(', ')}` : ''}\n`,
    );
  } finally {
    await db.close();
  }
}

migrate().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`userauth-migrate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
