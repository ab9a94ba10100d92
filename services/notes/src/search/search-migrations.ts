import type { Migration } from '@notes/kit';
import { searchDialect } from './search-dialect.js';
import { SearchIndex } from './search-index.js';

/** The search feature's schema (range 020-029), spread into db/migrations.ts. */
export const searchMigrations: Migration[] = [
  {
    // The full-text index of notes (DESIGN 4.7, 5): MariaDB FULLTEXT or SQLite FTS5, one row per
    // note. Notes written before this migration are indexed by it.
    name: '020-note-search',
    up: async (_qi, db) => {
      await searchDialect(db).create();
      await new SearchIndex(db).rebuild(() => {}, { window: false });
    },
    down: async (_qi, db) => searchDialect(db).drop(),
  },
  {
    // The window of recent changes (search-window.ts): a second full-text index over the most
    // recently changed notes, so that a common word's first pages never list every match.
    name: '021-note-search-recent',
    up: async (qi, db) => {
      const dialect = searchDialect(db);
      await dialect.createRecent();
      const columns = await qi.describeTable('notes');
      await new SearchIndex(db).window.refill('deletedAt' in columns);
    },
    down: async (_qi, db) => searchDialect(db).dropRecent(),
  },
];
