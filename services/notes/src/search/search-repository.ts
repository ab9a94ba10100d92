import { literal, type ModelStatic, Op, type Sequelize, type WhereOptions } from 'sequelize';
import { defineNoteModel, type NoteRow } from '../notes/note-model.js';
import type { Visibility, Visitor } from '../notes/note-policy.js';
import { readableWhere } from '../notes/note-readable.js';
import { taggedSql } from '../notes/note-repository.js';
import { type SearchDialect, searchDialect } from './search-dialect.js';
import type { SearchQuery } from './search-query.js';

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
export class SearchRepository {
  private readonly notes: ModelStatic<NoteRow>;
  private readonly dialect: SearchDialect;

  constructor(private readonly db: Sequelize) {
    this.notes = (db.models.Note as ModelStatic<NoteRow> | undefined) ?? defineNoteModel(db);
    this.dialect = searchDialect(db);
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
   * recently changed, with the number of all matches: one statement. The ranking, the window count
   * and the page are taken over ids and dates alone (a derived table); only the page's 20 rows are
   * then joined for their text, so a common word never sorts thousands of bodies.
   */
  async page(
    visitor: Visitor,
    query: SearchQuery,
    filters: SearchFilters,
    offset: number,
    limit: number,
  ): Promise<{ hits: SearchHit[]; total: number | undefined }> {
    const writer = (this.db.getQueryInterface() as unknown as { queryGenerator: SelectWriter })
      .queryGenerator;
    const where = writer.getWhereConditions(this.filtersWhere(visitor, filters), 'Note', this.notes);
    // Ranking, count and paging over ids and dates (search-dialect.ts: each match evaluated once
    // per query); only the page's rows are then read for their text.
    const { join, match, titleHit } = this.dialect.ranked(query);
    const ranked = `SELECT Note.id AS id, Note.updatedAt AS updatedAt, ${titleHit} AS titleHit,
        COUNT(*) OVER () AS total
      FROM notes AS Note ${join}
      WHERE ${match} AND ${where}
      ORDER BY titleHit DESC, Note.updatedAt DESC, Note.id DESC
      LIMIT ${Number(limit)} OFFSET ${Number(offset)}`;
    const [result] = await this.db.query(
      `SELECT n.\`key\` AS \`key\`, n.title, n.body, n.owner, n.visibility, n.updatedAt, p.titleHit, p.total
       FROM (${ranked}) AS p JOIN notes AS n ON n.id = p.id
       ORDER BY p.titleHit DESC, p.updatedAt DESC, p.id DESC`,
    );
    const rows = result as Array<
      Omit<NoteRow, 'updatedAt'> & {
        updatedAt: string | Date;
        titleHit: number | string;
        total: number | string;
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
    };
  }

  /** How many match (for a page past the end, where the page's own count is missing). */
  async count(visitor: Visitor, query: SearchQuery, filters: SearchFilters): Promise<number> {
    return this.notes.count({ where: this.where(visitor, query, filters) });
  }
}
