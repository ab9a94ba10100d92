import { configOrExit, createLogger, loadConfig, openDatabase, readyDatabase } from '@notes/kit';
import { configShape } from './config.js';
import { migrations } from './db/migrations.js';
import { NOTES_DB_MESSAGES } from './start/stores.js';

/** `node dist/migrate.js`: applies pending migrations to NOTES_DB_URL and exits. Needs only the DB settings. */
const cfg = configOrExit('notes-migrate', () =>
  loadConfig({
    NOTES_DB_URL: configShape.NOTES_DB_URL,
    NOTES_DB_PASSWORD: configShape.NOTES_DB_PASSWORD,
    LOG_LEVEL: configShape.LOG_LEVEL,
  }),
);
const logger = createLogger('notes-migrate', cfg.LOG_LEVEL);
const db = openDatabase({ url: cfg.NOTES_DB_URL, password: cfg.NOTES_DB_PASSWORD });
try {
  const done = await readyDatabase(db, {
    migrations,
    migrate: true,
    timeoutMs: 60_000,
    logger,
    messages: NOTES_DB_MESSAGES,
  });
  process.stdout.write(done.length ? `applied: ${done.join(', ')}\n` : 'nothing to migrate\n');
  await db.close();
} catch (err) {
  process.stderr.write(`notes-migrate: ${(err as Error).message}\n`);
  await db.close().catch(() => {});
  process.exit(1);
}
