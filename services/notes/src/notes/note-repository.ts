import {
  literal,
  type ModelStatic,
  Op,
  type Sequelize,
  type Transaction,
  UniqueConstraintError,
  type WhereOptions,
} from 'sequelize';
import type { PreparedRead } from '../db/prepared-reads.js';
import { SearchIndex } from '../search/search-index.js';
import { formTagsColumn, formTagsOf, TagIndex } from '../tags/tag-index.js';
import { noteTags } from '../tags/tag-text.js';
import { defineGrantModel, type GrantRow } from './grant-model.js';
import type { Note, NoteSummary } from './note.js';
import { defineNoteModel, type NoteRow } from './note-model.js';
import type { Grant, GrantRole, Visibility, Visitor } from './note-policy.js';
import { previewOf } from './note-preview.js';
import { type ListFilter, NOT_TRASHED, readableSql, readableWhere } from './note-readable.js';

/** A row of the note read: the note's columns and one of its grants (LEFT JOIN: null when none). */
type NoteReadRow = Omit<NoteRow, 'id' | 'preview'> & { grantee: string | null; grantRole: GrantRole | null };

/** The plain note of a row (fresh Date objects, whatever the dialect hands back) with its grants. */
function toNote(
  {
    key,
    title,
    body,
    owner,
    visibility,
    version,
    createdAt,
    updatedAt,
    formTags: formTagsText,
  }: Omit<NoteRow, 'id' | 'preview'>,
  grants: Grant[],
): Note {
  const formTags = formTagsOf(formTagsText);
  return {
    tags: noteTags(formTags, body),
    formTags,
    key,
    title,
    body,
    owner,
    visibility,
    grants,
    version,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
  };
}

/** Notes that carry the tag given as its parameter (note_tags), on the list's and search's `Note`. */
const TAGGED = '`Note`.`id` IN (SELECT noteId FROM note_tags WHERE tag = ?)';

/** TAGGED as a Sequelize condition (search). */
export function taggedSql(db: Sequelize, tag: string) {
  return literal(TAGGED.replace('?', db.escape(tag)));
}

/** The note (not in the trash) and its grants in one query (a row per grant; the grants by name). */
const READ_NOTE =
  'SELECT n.`key`, n.title, n.body, n.owner, n.visibility, n.version, n.createdAt, n.updatedAt, n.formTags,' +
  ' g.username AS grantee, g.role AS grantRole' +
  ' FROM notes n LEFT JOIN note_grants g ON g.noteKey = n.`key`' +
  ' WHERE n.`key` = ? AND n.deletedAt IS NULL ORDER BY g.username';

const READ_GRANTS = 'SELECT username, role FROM note_grants WHERE noteKey = ? ORDER BY username';

/**
 * The list counts its notes only this far ahead of the page (then "of 1,000+"): an exact count
 * reads every readable note, so page 1 would cost more the more notes there are.
 */
export const LIST_COUNT_STEP = 1000;

/** How far the count of a page starting at `offset` goes: the next multiple of the step, plus one. */
export function listCountCap(offset: number, limit: number): number {
  return Math.ceil((offset + limit) / LIST_COUNT_STEP) * LIST_COUNT_STEP + 1;
}

/**
 * One page of the list: `where` is readableSql's condition on `Note` (and TAGGED), constant per
 * kind of visitor; the tags a sub-query (GROUP_CONCAT: MariaDB and SQLite alike), the number of
 * matching notes a count that stops at its cap (an uncorrelated sub-query, run once), the preview
 * the column made when the body was saved.
 */
const pageSql = (where: string) =>
  // The page's rows first (the created index in order, stopping at the LIMIT), then the tags of
  // those rows only; the count reads at most `cap` rows.
  'SELECT p.`key`, p.title, p.owner, p.visibility, p.createdAt, p.updatedAt, p.preview,' +
  ' (SELECT GROUP_CONCAT(tag) FROM note_tags WHERE note_tags.noteId = p.id) AS tagList,' +
  ` (SELECT COUNT(*) FROM (SELECT 1 AS one FROM notes AS \`Note\` WHERE ${where} LIMIT ?) AS c) AS total` +
  ' FROM (SELECT `Note`.id, `Note`.`key`, `Note`.title, `Note`.owner, `Note`.visibility,' +
  ' `Note`.createdAt, `Note`.updatedAt, `Note`.preview' +
  ` FROM notes AS \`Note\` WHERE ${where}` +
  ' ORDER BY `Note`.createdAt DESC, `Note`.id DESC LIMIT ? OFFSET ?) AS p' +
  ' ORDER BY p.createdAt DESC, p.id DESC';

interface PageRow {
  key: string;
  title: string;
  owner: string;
  visibility: Visibility;
  createdAt: Date | string;
  updatedAt: Date | string;
  preview: string;
  tagList: string | null;
  total: number | string;
}

export type UpdateResult = 'updated' | 'stale' | 'missing';

/** A database transaction, opaque to the services: they only pass it back to repositories. */
export type Tx = Transaction;

/**
 * Access to notes and their grants; every method returns plain objects. The reads of the hot pages
 * (find and grantsOf outside a transaction, page) are prepared statements on the driver
 * (db/prepared-reads.ts); writes and the reads inside a transaction go through the Sequelize models.
 */
export class NoteRepository {
  private readonly notes: ModelStatic<NoteRow>;
  private readonly grants: ModelStatic<GrantRow>;
  /** Written in the same transaction as every create and edit, so search never lags a save. */
  readonly searchIndex: SearchIndex;
  /** Likewise: `note_tags` follows every create and edit. */
  readonly tagIndex: TagIndex;

  constructor(
    private readonly db: Sequelize,
    private readonly read: PreparedRead,
  ) {
    this.searchIndex = new SearchIndex(db);
    this.tagIndex = new TagIndex(db);
    this.notes = (db.models.Note as ModelStatic<NoteRow> | undefined) ?? defineNoteModel(db);
    this.grants = (db.models.NoteGrant as ModelStatic<GrantRow> | undefined) ?? defineGrantModel(db);
  }

  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Every
   * repository call inside must be given `tx` (SQLite has a single connection).
   */
  inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The note with its grants (two small queries by key), or null. */
  async find(key: string, tx?: Tx): Promise<Note | null> {
    if (tx) {
      const row = await this.notes.findOne({ where: { key, ...NOT_TRASHED }, transaction: tx });
      return row ? toNote(row, await this.grantsOf(key, tx)) : null;
    }
    const rows = await this.read<NoteReadRow>(READ_NOTE, [key]);
    const first = rows[0];
    if (!first) return null;
    const grants: Grant[] = [];
    for (const r of rows) {
      if (r.grantee !== null && r.grantRole !== null) grants.push({ username: r.grantee, role: r.grantRole });
    }
    return toNote(first, grants);
  }

  async grantsOf(key: string, tx?: Tx): Promise<Grant[]> {
    if (!tx)
      return (await this.read<Grant>(READ_GRANTS, [key])).map((r) => ({
        username: r.username,
        role: r.role,
      }));
    const rows = await this.grants.findAll({
      attributes: ['username', 'role'],
      where: { noteKey: key },
      order: [['username', 'ASC']],
      raw: true,
      transaction: tx,
    });
    return rows.map((r) => ({ username: r.username, role: r.role }));
  }

  /** The list's WHERE: the read policy's rule, its filter, and a tag when one is asked for. */
  private listWhere(visitor: Visitor, filter: ListFilter, tag?: string): WhereOptions {
    const readable = readableWhere(visitor, filter, (value) => this.db.escape(value));
    return tag === undefined ? readable : { [Op.and]: [readable, taggedSql(this.db, tag)] };
  }

  /**
   * One page of the summaries the visitor may read (note-readable.ts), newest first, in exactly
   * one query: the grants and the tags are sub-queries, the number of all matching notes a window
   * count, and the preview the column made when the body was saved.
   */
  async page(
    visitor: Visitor,
    filter: ListFilter,
    offset: number,
    limit: number,
    tag?: string,
  ): Promise<{ notes: NoteSummary[]; hasNext: boolean; total: number | undefined; totalExact: boolean }> {
    const where = readableSql(visitor, filter, 'Note');
    const params = [...where.params, ...(tag === undefined ? [] : [tag])];
    const cap = listCountCap(offset, limit);
    const rows = await this.read<PageRow>(
      pageSql(tag === undefined ? where.sql : `${where.sql} AND ${TAGGED}`),
      [...params, cap, ...params, limit, offset],
    );
    const counted = rows[0] ? Number(rows[0].total) : undefined;
    // At the cap there are at least cap - 1 more: the total is then a lower bound, not exact.
    const exact = counted === undefined || counted < cap;
    const total = counted === undefined || exact ? counted : cap - 1;
    return {
      notes: rows.map((r) => ({
        key: r.key,
        title: r.title,
        owner: r.owner,
        visibility: r.visibility,
        createdAt: new Date(r.createdAt),
        updatedAt: new Date(r.updatedAt),
        preview: r.preview,
        tags: formTagsOf(r.tagList).sort(),
      })),
      hasNext: total !== undefined && (!exact || offset + rows.length < total),
      total,
      totalExact: exact,
    };
  }

  /**
   * The next `limit` notes the visitor may read after the one with row id `afterId`, in id order,
   * with their whole text (grants left out): the export's pages, one query each, by the read
   * policy's WHERE. Resumes from the last row's id, so each page costs the same however far it is.
   */
  async readableAfter(
    visitor: Visitor,
    afterId: number,
    limit: number,
  ): Promise<Array<{ id: number; note: Note }>> {
    const where = readableSql(visitor, 'all', 'Note');
    const rows = await this.read<Omit<NoteRow, 'id'> & { id: number }>(
      'SELECT `Note`.id, `Note`.`key`, `Note`.title, `Note`.body, `Note`.owner, `Note`.visibility,' +
        ' `Note`.version, `Note`.createdAt, `Note`.updatedAt, `Note`.formTags' +
        ` FROM notes AS \`Note\` WHERE ${where.sql} AND \`Note\`.id > ? ORDER BY \`Note\`.id LIMIT ?`,
      [...where.params, afterId, limit],
    );
    return rows.map((row) => ({ id: Number(row.id), note: toNote(row, []) }));
  }

  /** How many notes the list would show in all (for a page past the end, which has no rows). */
  async count(visitor: Visitor, filter: ListFilter, tag?: string): Promise<number> {
    return this.notes.count({ where: this.listWhere(visitor, filter, tag) });
  }

  /** Runs `work` in the caller's transaction, or in one of its own (a note and its index row agree). */
  private withTransaction<T>(tx: Tx | undefined, work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return tx ? work(tx) : this.db.transaction(work);
  }

  /** Inserts a note; null when the key is taken. */
  async create(
    input: {
      key: string;
      title: string;
      body: string;
      owner: string;
      visibility: Visibility;
      formTags?: string[];
    },
    tx?: Tx,
  ): Promise<Note | null> {
    try {
      const row = await this.withTransaction(tx, async (transaction) => {
        const { formTags, ...fields } = input;
        const created = await this.notes.create(
          {
            ...fields,
            formTags: formTagsColumn(formTags ?? []),
            preview: previewOf(fields.body),
            version: 1,
          },
          { transaction },
        );
        await this.searchIndex.put(created, transaction);
        await this.tagIndex.putKey(created.key, transaction);
        return created;
      });
      return toNote(row, []);
    } catch (err) {
      if (err instanceof UniqueConstraintError) return null;
      throw err;
    }
  }

  /**
   * Saves only when the stored version is still `version` (optimistic concurrency). `bump: false`
   * keeps the version (a save whose body follows through the shared document, which counts it).
   */
  async update(
    key: string,
    version: number,
    changes: { title?: string; body?: string; visibility?: Visibility; formTags?: string[] },
    tx?: Tx,
    bump = true,
  ): Promise<{ result: UpdateResult; note?: Note }> {
    const count = await this.withTransaction(tx, async (transaction) => {
      const { formTags, ...fields } = changes;
      const [updated] = await this.notes.update(
        {
          ...fields,
          ...(formTags ? { formTags: formTagsColumn(formTags) } : {}),
          ...(fields.body === undefined ? {} : { preview: previewOf(fields.body) }),
          version: bump ? version + 1 : version,
          updatedAt: new Date(),
        },
        { where: { key, version }, transaction },
      );
      if (updated === 1) {
        await this.searchIndex.reindexKey(key, transaction);
        await this.tagIndex.putKey(key, transaction);
      }
      return updated;
    });
    if (count === 1) {
      const note = await this.find(key, tx);
      return note ? { result: 'updated', note } : { result: 'missing' };
    }
    const current = await this.notes.count({ where: { key }, transaction: tx ?? null });
    return { result: current > 0 ? 'stale' : 'missing' };
  }

  /** Shares the note with `username` as `role` (replacing an earlier role); false when the note is gone. */
  async grant(key: string, username: string, role: GrantRole): Promise<boolean> {
    const [count] = await this.grants.update({ role }, { where: { noteKey: key, username } });
    if (count > 0) return true;
    try {
      await this.grants.create({ noteKey: key, username, role });
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintError) {
        await this.grants.update({ role }, { where: { noteKey: key, username } });
        return true;
      }
      if ((err as { name?: string }).name === 'SequelizeForeignKeyConstraintError') return false;
      throw err;
    }
  }

  /** Removes the grant; false when there was none. */
  async revoke(key: string, username: string): Promise<boolean> {
    return (await this.grants.destroy({ where: { noteKey: key, username } })) > 0;
  }
}
