import type { Sequelize, Transaction } from 'sequelize';
import type { MatchTerm, SearchQuery } from './search-query.js';
import { RECENT_WINDOW_SIZE } from './search-window-size.js';

/**
 * The one place that knows which database runs the full-text index (DESIGN 5). Both keep the
 * folded, CJK-segmented text of search-text.ts in `note_search`, one row per note (its id):
 * - MariaDB: an InnoDB table with FULLTEXT indexes on (title, body) and (title), queried in
 *   boolean mode. It needs `innodb_ft_min_token_size=1` and `innodb_ft_enable_stopword=OFF` on the
 *   server (the test harness and both stacks set them) so that short words ("to", "C", a CJK
 *   piece) and stop words ("the", "be") are indexed at all. The row goes with its note by a
 *   foreign key (ON DELETE CASCADE). InnoDB applies FULLTEXT changes at commit, so a search right
 *   after a save sees it.
 * - SQLite: an FTS5 table (unicode61 tokenizer) whose rowid is the note's id; a trigger removes the
 *   row with its note.
 * Everything else (what is indexed, how a query is read, ranking, the read policy) is shared.
 */
export interface SearchDialect {
  /** SQL: the note whose id is `idColumn` matches every included term and no excluded one. */
  matches(query: SearchQuery, idColumn: string): string;
  /**
   * The ranked search over `notes AS Note`: a join (or none), the match condition, and a 1/0
   * title-match expression, each evaluated once per query by the database, never a sub-query
   * per row (which went quadratic on MariaDB: 8.8 s for a common word at 100,000 notes).
   */
  ranked(query: SearchQuery, over?: RankedOver): { join: string; match: string; titleHit: string };
  /** Writes (or replaces) a note's row. */
  put(id: number, title: string, body: string, transaction?: Transaction): Promise<void>;
  /** Writes (or replaces) a note's row in the window of recent changes (search-window.ts). */
  putRecent(id: number, title: string, body: string, transaction?: Transaction): Promise<void>;
  /** Removes a note's rows, from the index and the window (nothing when there are none). */
  remove(id: number, transaction?: Transaction): Promise<void>;
  /** Fills the window anew: the index rows of the live notes changed at or after its cutoff. */
  refillRecent(skipTrashed: boolean, transaction: Transaction): Promise<void>;
  /** Appended to a SELECT of notes in a transaction: reads them as a concurrent save leaves them. */
  readLock: string;
  /** Removes the rows of notes that no longer exist or are in the trash. */
  removeOrphans(skipTrashed: boolean): Promise<void>;
  /** Has the database re-read its whole index (MariaDB: under the server's current token settings). */
  retokenize(): Promise<void>;
  /** Creates the table (migration 020). */
  create(): Promise<void>;
  drop(): Promise<void>;
  /** Creates the window of recent changes and its cutoff row (migration 021). */
  createRecent(): Promise<void>;
  dropRecent(): Promise<void>;
}

/**
 * What a ranked search runs over: the whole index; the window of recent changes
 * (`note_search_recent`, search-window.ts), then only its rows changed at or after its cutoff; or
 * the titles of the whole index alone (every row a title match; for a query without exclusions).
 */
export type RankedOver = 'whole' | 'window' | 'titles';

const TABLE: Record<RankedOver, string> = {
  whole: 'note_search',
  window: 'note_search_recent',
  titles: 'note_search',
};

// Tokens are letters and digits only (search-text.ts), so they never carry either language's
// operators or quotes: they can be written into the query text as they are.

function mariadbTerm({ tokens, prefix }: MatchTerm): string {
  if (tokens.length === 1) return `${tokens[0]}${prefix ? '*' : ''}`;
  // Boolean mode has no prefix inside a phrase: the phrase, and its last word as a prefix.
  if (!prefix) return `"${tokens.join(' ')}"`;
  const head = tokens.slice(0, -1);
  return `${head.length > 1 ? `"${head.join(' ')}"` : head[0]} +${tokens.at(-1)}*`;
}

function mariadbBoolean(query: SearchQuery, withExcluded: boolean): string {
  const parts = query.include.map((t) => `+${mariadbTerm(t)}`);
  if (withExcluded)
    for (const { tokens, prefix } of query.exclude)
      parts.push(tokens.length === 1 ? `-${tokens[0]}${prefix ? '*' : ''}` : `-"${tokens.join(' ')}"`);
  return parts.join(' ');
}

function ftsTerm({ tokens, prefix }: MatchTerm): string {
  return `"${tokens.join(' ')}"${prefix ? '*' : ''}`;
}

function ftsQuery(query: SearchQuery, withExcluded: boolean): string {
  const include = query.include.map(ftsTerm).join(' AND ');
  if (!withExcluded || query.exclude.length === 0) return include;
  return `(${include}) NOT (${query.exclude.map(ftsTerm).join(' OR ')})`;
}

function mariadb(db: Sequelize): SearchDialect {
  const run = (sql: string, replacements: unknown[], transaction?: Transaction) =>
    db.query(sql, { replacements, ...(transaction ? { transaction } : {}) });
  return {
    // The canonical InnoDB form: WHERE MATCH drives the full-text index, MATCH in the select list is
    // a relevance lookup in a result computed once.
    ranked: (query, over = 'whole') => {
      const titles = `MATCH(s.title) AGAINST (${db.escape(mariadbBoolean(query, false))} IN BOOLEAN MODE)`;
      return {
        join: `JOIN ${TABLE[over]} AS s ON s.noteId = Note.id`,
        match:
          over === 'titles'
            ? titles
            : `MATCH(s.title, s.body) AGAINST (${db.escape(mariadbBoolean(query, true))} IN BOOLEAN MODE)${sinceCutoff(over, 's.updatedAt')}`,
        titleHit: over === 'titles' ? '1' : `CASE WHEN ${titles} > 0 THEN 1 ELSE 0 END`,
      };
    },
    matches: (query, id) =>
      `${id} IN (SELECT noteId FROM note_search WHERE MATCH(title, body) AGAINST (${db.escape(mariadbBoolean(query, true))} IN BOOLEAN MODE))`,
    put: async (id, title, body, transaction) => {
      await run(
        'INSERT INTO note_search (noteId, title, body) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE title = VALUES(title), body = VALUES(body)',
        [id, title, body],
        transaction,
      );
    },
    putRecent: async (id, title, body, transaction) => {
      await run(
        'INSERT INTO note_search_recent (noteId, updatedAt, title, body) SELECT id, updatedAt, ?, ? FROM notes WHERE id = ? ON DUPLICATE KEY UPDATE updatedAt = VALUES(updatedAt), title = VALUES(title), body = VALUES(body)',
        [title, body, id],
        transaction,
      );
    },
    ...windowRows(run, 'noteId'),
    readLock: ' LOCK IN SHARE MODE',
    removeOrphans: async (skipTrashed) => {
      await db.query(
        `DELETE FROM note_search WHERE noteId NOT IN (SELECT id FROM notes${skipTrashed ? ' WHERE deletedAt IS NULL' : ''})`,
      );
    },
    // A copying rebuild of the table (writes to it wait meanwhile): the only way to have InnoDB
    // tokenize again after innodb_ft_min_token_size or the stop word setting changed.
    retokenize: async () => {
      await db.query('ALTER TABLE note_search FORCE');
    },
    // Binary collation: the text is folded already (search-text.ts), and unicode_ci would also
    // equate what must stay apart (Japanese か and が).
    create: async () => {
      await db.query(`CREATE TABLE note_search (
        noteId INTEGER NOT NULL PRIMARY KEY,
        title TEXT NOT NULL,
        body MEDIUMTEXT NOT NULL,
        FULLTEXT KEY note_search_all (title, body),
        FULLTEXT KEY note_search_title (title),
        CONSTRAINT note_search_note FOREIGN KEY (noteId) REFERENCES notes (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    },
    drop: async () => {
      await db.query('DROP TABLE IF EXISTS note_search');
    },
    // The same shape as note_search, plus the change time that decides what stays in the window.
    createRecent: async () => {
      await db.query(`CREATE TABLE note_search_recent (
        noteId INTEGER NOT NULL PRIMARY KEY,
        updatedAt DATETIME(3) NOT NULL,
        title TEXT NOT NULL,
        body MEDIUMTEXT NOT NULL,
        FULLTEXT KEY note_search_recent_all (title, body),
        FULLTEXT KEY note_search_recent_title (title),
        KEY note_search_recent_updated (updatedAt),
        CONSTRAINT note_search_recent_note FOREIGN KEY (noteId) REFERENCES notes (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
      await createWindowRow(db, 'DATETIME(3)');
    },
    dropRecent: async () => {
      await db.query('DROP TABLE IF EXISTS note_search_window');
      await db.query('DROP TABLE IF EXISTS note_search_recent');
    },
  };
}

/** The window's one row: since when it holds every change (NULL: everything), and how many it keeps. */
async function createWindowRow(db: Sequelize, dateType: string): Promise<void> {
  await db.query(
    `CREATE TABLE note_search_window (id INTEGER NOT NULL PRIMARY KEY, cutoff ${dateType} NULL, size INTEGER NOT NULL)`,
  );
  await db.query('INSERT INTO note_search_window (id, cutoff, size) VALUES (1, NULL, ?)', {
    replacements: [RECENT_WINDOW_SIZE],
  });
}

type Run = (sql: string, replacements: unknown[], transaction?: Transaction) => Promise<unknown>;

/** Removing a note's rows and refilling the window: the same SQL but for the id column's name. */
function windowRows(run: Run, id: 'noteId' | 'rowid'): Pick<SearchDialect, 'remove' | 'refillRecent'> {
  return {
    remove: async (note, transaction) => {
      await run(`DELETE FROM note_search WHERE ${id} = ?`, [note], transaction);
      await run(`DELETE FROM note_search_recent WHERE ${id} = ?`, [note], transaction);
    },
    refillRecent: async (skipTrashed, transaction) => {
      await run('DELETE FROM note_search_recent', [], transaction);
      await run(
        `INSERT INTO note_search_recent (${id}, updatedAt, title, body)
         SELECT s.${id}, n.updatedAt, s.title, s.body FROM note_search AS s JOIN notes AS n ON n.id = s.${id}
         WHERE ${skipTrashed ? 'n.deletedAt IS NULL AND ' : ''}${cutoffCondition('n.updatedAt')}`,
        [],
        transaction,
      );
    },
  };
}

/**
 * For the window: only rows changed at or after its cutoff (all while it has none), read in the
 * same statement, so the answer and the cutoff it relies on are one snapshot. Change times are
 * compared in SQL only, never carried through JavaScript (MariaDB's milliseconds would be lost).
 */
function sinceCutoff(over: RankedOver, column: string): string {
  return over === 'window' ? ` AND ${cutoffCondition(column)}` : '';
}

export function cutoffCondition(column: string): string {
  return `${column} >= COALESCE((SELECT cutoff FROM note_search_window WHERE id = 1), ${column})`;
}

function sqlite(db: Sequelize): SearchDialect {
  const run = (sql: string, replacements: unknown[], transaction?: Transaction) =>
    db.query(sql, { replacements, ...(transaction ? { transaction } : {}) });
  return {
    // SQLite computes an uncorrelated IN sub-query once, into an index of its own.
    ranked: (query, over = 'whole') => {
      const table = TABLE[over];
      const titles = `SELECT rowid FROM ${table} WHERE ${table} MATCH ${db.escape(`title : (${ftsQuery(query, false)})`)}`;
      return {
        join: '',
        match:
          over === 'titles'
            ? `Note.id IN (${titles})`
            : `Note.id IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ${db.escape(ftsQuery(query, true))}${sinceCutoff(over, 'updatedAt')})`,
        titleHit: over === 'titles' ? '1' : `CASE WHEN Note.id IN (${titles}) THEN 1 ELSE 0 END`,
      };
    },
    matches: (query, id) =>
      `${id} IN (SELECT rowid FROM note_search WHERE note_search MATCH ${db.escape(ftsQuery(query, true))})`,
    put: async (id, title, body, transaction) => {
      // An FTS5 table has no upsert: the old row out, the new one in (in the caller's transaction).
      await run('DELETE FROM note_search WHERE rowid = ?', [id], transaction);
      await run(
        'INSERT INTO note_search (rowid, title, body) VALUES (?, ?, ?)',
        [id, title, body],
        transaction,
      );
    },
    putRecent: async (id, title, body, transaction) => {
      await run('DELETE FROM note_search_recent WHERE rowid = ?', [id], transaction);
      await run(
        'INSERT INTO note_search_recent (rowid, updatedAt, title, body) SELECT id, updatedAt, ?, ? FROM notes WHERE id = ?',
        [title, body, id],
        transaction,
      );
    },
    ...windowRows(run, 'rowid'),
    // SQLite has one writer at a time: a transaction that writes is already isolated.
    readLock: '',
    removeOrphans: async (skipTrashed) => {
      await db.query(
        `DELETE FROM note_search WHERE rowid NOT IN (SELECT id FROM notes${skipTrashed ? ' WHERE deletedAt IS NULL' : ''})`,
      );
    },
    retokenize: async () => {
      await db.query("INSERT INTO note_search (note_search) VALUES ('optimize')");
    },
    create: async () => {
      await db.query(
        "CREATE VIRTUAL TABLE note_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
      );
      await db.query(
        'CREATE TRIGGER note_search_note AFTER DELETE ON notes BEGIN DELETE FROM note_search WHERE rowid = old.id; END',
      );
    },
    drop: async () => {
      await db.query('DROP TRIGGER IF EXISTS note_search_note');
      await db.query('DROP TABLE IF EXISTS note_search');
    },
    // The change time is stored, not indexed (FTS5 UNINDEXED): the window is small.
    createRecent: async () => {
      await db.query(
        "CREATE VIRTUAL TABLE note_search_recent USING fts5(title, body, updatedAt UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
      );
      await db.query(
        'CREATE TRIGGER note_search_recent_note AFTER DELETE ON notes BEGIN DELETE FROM note_search_recent WHERE rowid = old.id; END',
      );
      await createWindowRow(db, 'DATETIME');
    },
    dropRecent: async () => {
      await db.query('DROP TABLE IF EXISTS note_search_window');
      await db.query('DROP TRIGGER IF EXISTS note_search_recent_note');
      await db.query('DROP TABLE IF EXISTS note_search_recent');
    },
  };
}

export function searchDialect(db: Sequelize): SearchDialect {
  return db.getDialect() === 'sqlite' ? sqlite(db) : mariadb(db);
}
