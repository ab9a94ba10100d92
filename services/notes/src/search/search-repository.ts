import { literal, type ModelStatic, Op, type Sequelize, type WhereOptions } from 'sequelize';
import { defineNoteModel, type NoteRow } from '../notes/note-model.js';
import type { Visibility, Visitor } from '../notes/note-policy.js';
import { readableWhere } from '../notes/note-readable.js';
import { sharedWithSql, taggedSql } from '../notes/note-repository.js';
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

/** The search query: the index's match, the read policy's WHERE, the filters, ranked, one page. */
export class SearchRepository {
  private readonly notes: ModelStatic<NoteRow>;
  private readonly dialect: SearchDialect;

  constructor(private readonly db: Sequelize) {
    this.notes = (db.models.Note as ModelStatic<NoteRow> | undefined) ?? defineNoteModel(db);
    this.dialect = searchDialect(db);
  }

  private where(visitor: Visitor, query: SearchQuery, filters: SearchFilters): WhereOptions {
    return {
      [Op.and]: [
        // The same rule as the list (note-readable.ts, next to note-policy.ts): never a second one.
        readableWhere(visitor, 'all', sharedWithSql(this.db)),
        ...(filters.owner !== undefined ? [{ owner: filters.owner }] : []),
        ...(filters.tag !== undefined ? [taggedSql(this.db, filters.tag)] : []),
        literal(this.dialect.matches(query, ID)),
      ],
    };
  }

  /**
   * One page of the notes the visitor may read that match, title matches first, then the most
   * recently changed, with the number of all matches: one query (a window count).
   */
  async page(
    visitor: Visitor,
    query: SearchQuery,
    filters: SearchFilters,
    offset: number,
    limit: number,
  ): Promise<{ hits: SearchHit[]; total: number | undefined }> {
    const rows = (await this.notes.findAll({
      attributes: [
        'key',
        'title',
        'body',
        'owner',
        'visibility',
        'updatedAt',
        [literal(`CASE WHEN ${this.dialect.titleMatches(query, ID)} THEN 1 ELSE 0 END`), 'titleHit'],
        [literal('COUNT(*) OVER ()'), 'total'],
      ],
      where: this.where(visitor, query, filters),
      order: [
        [literal('titleHit'), 'DESC'],
        ['updatedAt', 'DESC'],
        ['id', 'DESC'],
      ],
      offset,
      limit,
      raw: true,
    })) as unknown as Array<NoteRow & { titleHit: number | string; total: number | string }>;
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
