import type { Sequelize, Transaction } from 'sequelize';
import { type SearchDialect, searchDialect } from './search-dialect.js';
import { indexText, plainText } from './search-text.js';
import { SearchWindow } from './search-window.js';

/** What the index needs of a note: its row id and its text. */
export interface IndexedNote {
  id: number;
  title: string;
  body: string;
}

/** The index's text of a note: folded, segmented words of the title and of the body's plain text. */
export function searchRow(note: IndexedNote): { id: number; title: string; body: string } {
  return { id: note.id, title: indexText(note.title), body: indexText(plainText(note.body)) };
}

const REBUILD_BATCH = 500;

/**
 * Keeps `note_search` exact. The note repository calls `put` in the same transaction as the save
 * (create and edit), so a note and its index row are never out of step; a deleted note's row goes
 * with it in the database itself (foreign key or trigger). Other features call `reindexKey` /
 * `removeKey` (e.g. a note restored from the trash, one moved to it), in their own transaction
 * when they have one. Visibility and grants are never copied into the index: results are
 * filtered by the live read policy at query time, so a visibility change is reflected at once.
 */
export class SearchIndex {
  private readonly dialect: SearchDialect;
  /** The window of recent changes (search-window.ts), written with every row. */
  readonly window: SearchWindow;

  constructor(private readonly db: Sequelize) {
    this.dialect = searchDialect(db);
    this.window = new SearchWindow(db, this.dialect);
  }

  async put(note: IndexedNote, transaction?: Transaction): Promise<void> {
    const row = searchRow(note);
    await this.dialect.put(row.id, row.title, row.body, transaction);
    await this.window.put(row, transaction);
  }

  async remove(id: number, transaction?: Transaction): Promise<void> {
    await this.dialect.remove(id, transaction);
  }

  /** Indexes the note with this key again from its stored text; false when there is none. */
  async reindexKey(key: string, transaction?: Transaction): Promise<boolean> {
    const [row] = await this.notesWhere('`key` = ?', [key], transaction);
    if (row) await this.put(row, transaction);
    return row !== undefined;
  }

  /** Takes the note with this key out of the index (it stays in `notes`, e.g. in the trash). */
  async removeKey(key: string, transaction?: Transaction): Promise<void> {
    const [row] = await this.notesWhere('`key` = ?', [key], transaction);
    if (row) await this.remove(row.id, transaction);
  }

  /**
   * The operators' rebuild (`pnpm search-rebuild`): every note written again in batches (each
   * batch reads its notes and writes their rows in one transaction, so a save running meanwhile
   * is neither lost nor overwritten with older text; notes in the trash are left out), rows of
   * notes that no longer exist or are in the trash removed, then the database re-reads its index
   * under the server's current settings, and the window of recent changes is filled from it.
   */
  async rebuild(
    onProgress: (done: number) => void = () => {},
    options: { skipTrashed?: boolean; window?: boolean } = {},
  ): Promise<number> {
    // Migration 020 runs before the trash exists (031): only later callers leave trashed notes out.
    const live = options.skipTrashed === true;
    let last = 0;
    let done = 0;
    for (;;) {
      const rows = await this.db.transaction(async (transaction) => {
        const batch = await this.notesWhere(
          `id > ?${live ? ' AND deletedAt IS NULL' : ''} ORDER BY id LIMIT ${REBUILD_BATCH}${this.dialect.readLock}`,
          [last],
          transaction,
        );
        for (const note of batch) {
          const row = searchRow(note);
          await this.dialect.put(row.id, row.title, row.body, transaction);
        }
        return batch;
      });
      if (rows.length === 0) break;
      last = rows.at(-1)?.id ?? last;
      done += rows.length;
      onProgress(done);
    }
    await this.dialect.removeOrphans(live);
    await this.dialect.retokenize();
    // Migration 020 runs before the window exists (021), which fills it itself.
    if (options.window !== false) await this.window.refill(live);
    return done;
  }

  private async notesWhere(where: string, replacements: unknown[], transaction?: Transaction) {
    const [rows] = await this.db.query(`SELECT id, title, body FROM notes WHERE ${where}`, {
      replacements,
      ...(transaction ? { transaction } : {}),
    });
    return rows as IndexedNote[];
  }
}
