import type { Sequelize, Transaction } from 'sequelize';
import { cutoffCondition, type SearchDialect } from './search-dialect.js';

/** The window's row: whether it has a cutoff yet (none: it holds every note), and its size. */
export interface WindowState {
  hasCutoff: boolean;
  size: number;
}

/** A trim every so many writes of one process keeps the window near its size without a job. */
const TRIM_EVERY = 32;

/**
 * The window of recent changes: `note_search_recent` is a second full-text index (the database's
 * own, the same text as `note_search`) over the most recently changed notes only, about `size` of
 * them (`note_search_window`, one row). Its one invariant: **every live note changed at or after
 * the cutoff has its row in the window** (rows older than the cutoff may linger until a trim;
 * searches ignore them). Change times are compared in SQL only: they are copied from `notes`,
 * never carried through JavaScript.
 *
 * Why: results rank title matches first, then the most recent change. A common word matches most
 * notes, and InnoDB's FULLTEXT lists every match before anything can be ranked (about a second for
 * 70,000 matches at 100,000 notes). When the window alone holds enough title matches for a page,
 * those are exactly the page: every note outside the window changed before the cutoff, so it ranks
 * below each of them. Otherwise (deep pages, rare words, few readable notes) the search runs over
 * the whole index as before. Until the first trim there is no cutoff and the window is everything,
 * so small installations always get exact counts from it.
 */
export class SearchWindow {
  private writes = 0;

  constructor(
    private readonly db: Sequelize,
    private readonly dialect: SearchDialect,
  ) {}

  async state(transaction?: Transaction): Promise<WindowState> {
    const [rows] = await this.db.query(
      'SELECT CASE WHEN cutoff IS NULL THEN 0 ELSE 1 END AS hasCutoff, size FROM note_search_window WHERE id = 1',
      { ...(transaction ? { transaction } : {}) },
    );
    const row = (rows as Array<{ hasCutoff: number | string; size: number | string }>)[0];
    return { hasCutoff: Number(row?.hasCutoff) === 1, size: Number(row?.size ?? 0) };
  }

  /**
   * Called with every write of a note's index row, after the note's own row is written (same
   * transaction): the row goes into the window too, unless the note changed before the cutoff (a
   * note restored from the trash with its old date).
   */
  async put(row: { id: number; title: string; body: string }, transaction?: Transaction): Promise<void> {
    const [inside] = await this.db.query(
      `SELECT 1 AS inside FROM notes WHERE id = ? AND ${cutoffCondition('updatedAt')}`,
      { replacements: [row.id], ...(transaction ? { transaction } : {}) },
    );
    if ((inside as unknown[]).length === 0) return;
    await this.dialect.putRecent(row.id, row.title, row.body, transaction);
    if (++this.writes % TRIM_EVERY !== 0) return;
    // After the save's commit, on a connection of its own: a trim never holds up or fails a save.
    const trim = () => void this.trim().catch(() => {});
    if (transaction) transaction.afterCommit(trim);
    else trim();
  }

  /**
   * Moves the cutoff to the change time of the (size + 1)-th most recent row (when that is later),
   * then removes the rows older than it. In that order, so that a crash between the two leaves only
   * extra rows, never a missing one.
   */
  async trim(): Promise<void> {
    const { size } = await this.state();
    const edge = `(SELECT updatedAt FROM note_search_recent ORDER BY updatedAt DESC LIMIT 1 OFFSET ${Number(size)})`;
    await this.db.query(
      `UPDATE note_search_window SET cutoff = ${edge} WHERE id = 1 AND ${edge} IS NOT NULL AND (cutoff IS NULL OR cutoff < ${edge})`,
    );
    await this.db.query(
      'DELETE FROM note_search_recent WHERE updatedAt < (SELECT cutoff FROM note_search_window WHERE id = 1)',
    );
  }

  /**
   * Fills the window anew from the index (migration 021, the operators' rebuild): the `size` most
   * recently changed live notes (with those changed at the same time as the last of them), in one
   * transaction with the cutoff, so a search never sees it half filled. `skipTrashed`: whether the
   * trash exists yet (migration 031 comes after 021 on a new database).
   */
  async refill(skipTrashed: boolean): Promise<void> {
    await this.db.transaction(async (transaction) => {
      const { size } = await this.state(transaction);
      // No (size + 1)-th note: no cutoff, the window is every note.
      await this.db.query(
        `UPDATE note_search_window SET cutoff = (SELECT updatedAt FROM notes${
          skipTrashed ? ' WHERE deletedAt IS NULL' : ''
        } ORDER BY updatedAt DESC LIMIT 1 OFFSET ${Number(size)}) WHERE id = 1`,
        { transaction },
      );
      await this.dialect.refillRecent(skipTrashed, transaction);
    });
  }
}
