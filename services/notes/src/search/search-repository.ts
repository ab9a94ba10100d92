import { literal, type ModelStatic, Op, type Sequelize, type WhereOptions } from 'sequelize';
import { defineNoteModel, type NoteRow } from '../notes/note-model.js';
import type { Visibility, Visitor } from '../notes/note-policy.js';
import { readableWhere } from '../notes/note-readable.js';
import { taggedSql } from '../notes/note-repository.js';
import { type RankedOver, type SearchDialect, searchDialect } from './search-dialect.js';
import type { SearchQuery } from './search-query.js';
import { SearchWindow } from './search-window.js';

export interface SearchFilters {
  owner?: string;
  tag?: string;
}

/** One found note, with the text the snippet is cut from. */
export interface SearchHit {
  key: string;
  title: string;
  body: string;
  owner: string;
  visibility: Visibility;
  updatedAt: Date;
  /** The title alone matched (ranked first). */
  titleHit: boolean;
}

const ID = '`Note`.`id`';

/** Sequelize's own SQL writer (public on the instance, not in its types). */
interface SelectWriter {
  getWhereConditions(where: WhereOptions, tableAs: string, model: ModelStatic<NoteRow>): string;
}

/** The search query: the index's match, the read policy's WHERE, the filters, ranked, one page. */
export interface SearchPage {
  hits: SearchHit[];
  /** All matches, or (`exact` false) a lower bound; undefined when the page is past the last one. */
  total: number | undefined;
  exact: boolean;
}

export class SearchRepository {
  private readonly notes: ModelStatic<NoteRow>;
  private readonly dialect: SearchDialect;
  private readonly window: SearchWindow;

  /** `useWindow: false` always searches the whole index (the tests compare both ways). */
  constructor(
    private readonly db: Sequelize,
    private readonly options: { useWindow?: boolean } = {},
  ) {
    this.notes = (db.models.Note as ModelStatic<NoteRow> | undefined) ?? defineNoteModel(db);
    this.dialect = searchDialect(db);
    this.window = new SearchWindow(db, this.dialect);
  }

  /** The read policy and the filters, without the match. */
  private filtersWhere(visitor: Visitor, filters: SearchFilters): WhereOptions {
    return {
      [Op.and]: [
        readableWhere(visitor, 'all', (value) => this.db.escape(value)),
        ...(filters.owner !== undefined ? [{ owner: filters.owner }] : []),
        ...(filters.tag !== undefined ? [taggedSql(this.db, filters.tag)] : []),
      ],
    };
  }

  private where(visitor: Visitor, query: SearchQuery, filters: SearchFilters): WhereOptions {
    return {
      [Op.and]: [
        // The same rule as the list (note-readable.ts, next to note-policy.ts): never a second one.
        readableWhere(visitor, 'all', (value) => this.db.escape(value)),
        ...(filters.owner !== undefined ? [{ owner: filters.owner }] : []),
        ...(filters.tag !== undefined ? [taggedSql(this.db, filters.tag)] : []),
        literal(this.dialect.matches(query, ID)),
      ],
    };
  }

  /**
   * One page of the notes the visitor may read that match, title matches first, then the most
   * recently changed, with the number of all matches. First over the window of recent changes
   * (search-window.ts): when it is the whole index (a small installation), or when it alone holds
   * enough title matches for the page, that is the answer (with the window's count as a lower
   * bound in the second case); otherwise over the whole index.
   */
  async page(
    visitor: Visitor,
    query: SearchQuery,
    filters: SearchFilters,
    offset: number,
    limit: number,
  ): Promise<SearchPage> {
    const need = offset + limit;
    if (this.options.useWindow !== false && need <= (await this.window.state()).size) {
      const recent = await this.ranked(visitor, query, filters, offset, limit, 'window');
      if (recent.total !== undefined && !recent.hasCutoff)
        return { hits: recent.hits, total: recent.total, exact: true };
      if (recent.titleHits >= need) return { hits: recent.hits, total: recent.total, exact: false };
      // Too few title matches in the window: the titles of the whole index (a far smaller index
      // than title and body) may hold the page; the body matches below them are then not needed.
      if (query.exclude.length === 0) {
        const titles = await this.ranked(visitor, query, filters, offset, limit, 'titles');
        if (titles.total !== undefined && titles.total >= need) {
          const bodyOnly = (recent.total ?? 0) - recent.titleHits;
          return { hits: titles.hits, total: titles.total + bodyOnly, exact: false };
        }
      }
    }
    const whole = await this.ranked(visitor, query, filters, offset, limit, 'whole');
    return { hits: whole.hits, total: whole.total, exact: true };
  }

  /**
   * One statement: the ranking, the counts and the page are taken over ids and dates alone (a
   * derived table); only the page's rows are then joined for their text, so a common word never
   * sorts thousands of bodies.
   */
  private async ranked(
    visitor: Visitor,
    query: SearchQuery,
    filters: SearchFilters,
    offset: number,
    limit: number,
    over: RankedOver,
  ): Promise<{ hits: SearchHit[]; total: number | undefined; titleHits: number; hasCutoff: boolean }> {
    const writer = (this.db.getQueryInterface() as unknown as { queryGenerator: SelectWriter })
      .queryGenerator;
    const where = writer.getWhereConditions(this.filtersWhere(visitor, filters), 'Note', this.notes);
    // Each match evaluated once per query (search-dialect.ts).
    const { join, match, titleHit } = this.dialect.ranked(query, over);
    const ranked = `SELECT Note.id AS id, Note.updatedAt AS updatedAt, ${titleHit} AS titleHit
      FROM notes AS Note ${join}
      WHERE ${match} AND ${where}`;
    const [result] = await this.db.query(
      `SELECT n.\`key\` AS \`key\`, n.title, n.body, n.owner, n.visibility, n.updatedAt, p.titleHit, p.total, p.titleHits,
         (SELECT CASE WHEN cutoff IS NULL THEN 0 ELSE 1 END FROM note_search_window WHERE id = 1) AS hasCutoff
       FROM (SELECT r.*, COUNT(*) OVER () AS total, SUM(r.titleHit) OVER () AS titleHits FROM (${ranked}) AS r
             ORDER BY r.titleHit DESC, r.updatedAt DESC, r.id DESC
             LIMIT ${Number(limit)} OFFSET ${Number(offset)}) AS p
       JOIN notes AS n ON n.id = p.id
       ORDER BY p.titleHit DESC, p.updatedAt DESC, p.id DESC`,
    );
    const rows = result as Array<
      Omit<NoteRow, 'updatedAt'> & {
        updatedAt: string | Date;
        titleHit: number | string;
        total: number | string;
        titleHits: number | string;
        hasCutoff: number | string;
      }
    >;
    return {
      hits: rows.map((r) => ({
        key: r.key,
        title: r.title,
        body: r.body,
        owner: r.owner,
        visibility: r.visibility,
        updatedAt: new Date(r.updatedAt),
        titleHit: Number(r.titleHit) === 1,
      })),
      total: rows[0] ? Number(rows[0].total) : undefined,
      titleHits: rows[0] ? Number(rows[0].titleHits) : 0,
      // Read in the same statement as the window's rows: the same snapshot.
      hasCutoff: rows[0] ? Number(rows[0].hasCutoff) === 1 : true,
    };
  }

  /** How many match (for a page past the end, where the page's own count is missing). */
  async count(visitor: Visitor, query: SearchQuery, filters: SearchFilters): Promise<number> {
    return this.notes.count({ where: this.where(visitor, query, filters) });
  }
}
