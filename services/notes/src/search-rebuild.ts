import { configOrExit, createLogger, loadConfig, openDatabase, readyDatabase } from '@notes/kit';
import { configShape } from './config.js';
import { migrations } from './db/migrations.js';
import { SearchIndex } from './search/search-index.js';
import { NOTES_DB_MESSAGES } from './start/stores.js';

/**
 * `node dist/search-rebuild.js` (`pnpm search-rebuild`): writes the search index of every note
 * again from the notes themselves and has the database re-read it. For operators: after changing
 * the MariaDB full-text settings (innodb_ft_min_token_size, stop words) on a database that has
 * notes, after restoring only some tables, or whenever search seems to miss a note. The app may
 * keep running; on MariaDB saves wait during the last step (a copy of the index table).
 */
const cfg = configOrExit('notes-search-rebuild', () =>
  loadConfig({
    NOTES_DB_URL: configShape.NOTES_DB_URL,
    NOTES_DB_PASSWORD: configShape.NOTES_DB_PASSWORD,
    LOG_LEVEL: configShape.LOG_LEVEL,
  }),
);
const logger = createLogger('notes-search-rebuild', cfg.LOG_LEVEL);
const db = openDatabase({ url: cfg.NOTES_DB_URL, password: cfg.NOTES_DB_PASSWORD });
try {
  await readyDatabase(db, {
    migrations,
    migrate: false,
    timeoutMs: 60_000,
    logger,
    messages: NOTES_DB_MESSAGES,
  });
  const started = Date.now();
  const count = await new SearchIndex(db).rebuild(
    (done) => {
      if (done % 10_000 === 0) process.stdout.write(`${done} notes indexed\n`);
    },
    { skipTrashed: true },
  );
  process.stdout.write(
    `search index rebuilt: ${count} notes in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await db.close();
} catch (err) {
  process.stderr.write(`notes-search-rebuild: ${(err as Error).message}\n`);
  await db.close().catch(() => {});
  process.exit(1);
}
