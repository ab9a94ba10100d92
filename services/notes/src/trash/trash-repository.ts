import { type ModelStatic, Op, type Sequelize, type Transaction, UniqueConstraintError } from 'sequelize';
import { generateNoteKey } from '../notes/note-key.js';
import { defineNoteModel, type NoteRow } from '../notes/note-model.js';
import type { NoteBin } from '../notes/note-service.js';
import { SearchIndex } from '../search/search-index.js';

/**
 * A key already in use: the unique key of `notes`, or (MariaDB checks the cascade first) the
 * revisions' or grants' unique (key, …) indexes that the renamed key would collide with (1557).
 */
function keyTaken(err: unknown): boolean {
  if (err instanceof UniqueConstraintError) return true;
  const parent = (err as { parent?: { errno?: number } }).parent;
  return parent?.errno === 1557;
}

/** The key a note has while in the trash: `~` is never in a key (note-key.ts), so no URL reaches it. */
export const trashKey = (id: number) => `~t${id}`;

export interface TrashedRow {
  id: number;
  title: string;
  trashedKey: string;
  deletedAt: Date;
}

/**
 * Sequelize access to the trash: notes with `deletedAt` set (migration 031). A note's comments,
 * grants, links and revisions refer to its key with ON UPDATE CASCADE and ON DELETE CASCADE, so
 * they follow it into the trash and back, and go with it when it is purged.
 */
export class TrashRepository implements NoteBin {
  private readonly notes: ModelStatic<NoteRow>;
  private readonly search: SearchIndex;

  constructor(private readonly db: Sequelize) {
    this.notes = (db.models.Note as ModelStatic<NoteRow> | undefined) ?? defineNoteModel(db);
    this.search = new SearchIndex(db);
  }

  /** Moves a live note to the trash, freeing its key and taking it out of the search index. */
  discard(key: string, by: string): Promise<boolean> {
    return this.db.transaction(async (transaction) => {
      const row = await this.notes.findOne({
        attributes: ['id'],
        where: { key, deletedAt: null },
        transaction,
      });
      if (!row) return false;
      await this.search.removeKey(key, transaction);
      const [moved] = await this.notes.update(
        { key: trashKey(row.id), trashedKey: key, deletedAt: new Date(), deletedBy: by },
        { where: { id: row.id, deletedAt: null }, transaction, silent: true },
      );
      return moved === 1;
    });
  }

  /** The owner's trash, most recently deleted first. */
  async list(
    owner: string,
    offset: number,
    limit: number,
  ): Promise<{ rows: TrashedRow[]; hasNext: boolean }> {
    const rows = await this.notes.findAll({
      attributes: ['id', 'title', 'trashedKey', 'deletedAt'],
      where: { owner, deletedAt: { [Op.ne]: null } },
      order: [
        ['deletedAt', 'DESC'],
        ['id', 'DESC'],
      ],
      offset,
      limit: limit + 1,
      raw: true,
    });
    return {
      rows: rows.slice(0, limit).map((r) => ({
        id: r.id,
        title: r.title,
        trashedKey: r.trashedKey ?? '',
        deletedAt: new Date(r.deletedAt!),
      })),
      hasNext: rows.length > limit,
    };
  }

  /** One of the owner's trashed notes, or null. */
  async find(owner: string, id: number): Promise<TrashedRow | null> {
    const row = await this.notes.findOne({
      attributes: ['id', 'title', 'trashedKey', 'deletedAt'],
      where: { id, owner, deletedAt: { [Op.ne]: null } },
      raw: true,
    });
    return row
      ? {
          id: row.id,
          title: row.title,
          trashedKey: row.trashedKey ?? '',
          deletedAt: new Date(row.deletedAt!),
        }
      : null;
  }

  /**
   * Brings a trashed note back under its old key or, when another note took that key meanwhile,
   * a fresh one; indexes it for search again. The new key, or null when it is not in the owner's trash.
   */
  async restore(owner: string, id: number): Promise<string | null> {
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        return await this.db.transaction(async (transaction) => {
          const row = await this.notes.findOne({
            attributes: ['id', 'trashedKey'],
            where: { id, owner, deletedAt: { [Op.ne]: null } },
            transaction,
          });
          if (!row) return null;
          const own = row.trashedKey;
          const free =
            own !== null &&
            attempt === 0 &&
            (await this.notes.count({ where: { key: own }, transaction })) === 0;
          const key = free ? own : generateNoteKey();
          const [restored] = await this.notes.update(
            { key, trashedKey: null, deletedAt: null, deletedBy: null },
            { where: { id, deletedAt: { [Op.ne]: null } }, transaction, silent: true },
          );
          if (restored !== 1) return null;
          await this.search.reindexKey(key, transaction);
          return key;
        });
      } catch (err) {
        // The key was taken meanwhile by a note saved at the same moment: try a fresh one.
        if (!keyTaken(err)) throw err;
      }
    }
    throw new Error('could not find a free key for the restored note');
  }

  /** Deletes trashed notes for good (with everything that refers to them); how many went. */
  async purge(
    where: { owner?: string; id?: number; deletedBefore?: Date },
    limit?: number,
    tx?: Transaction,
  ): Promise<number> {
    const ids = await this.notes.findAll({
      attributes: ['id'],
      where: {
        deletedAt: where.deletedBefore ? { [Op.lt]: where.deletedBefore } : { [Op.ne]: null },
        ...(where.owner !== undefined ? { owner: where.owner } : {}),
        ...(where.id !== undefined ? { id: where.id } : {}),
      },
      order: [['deletedAt', 'ASC']],
      ...(limit !== undefined ? { limit } : {}),
      raw: true,
      transaction: tx ?? null,
    });
    if (ids.length === 0) return 0;
    return this.notes.destroy({
      where: { id: { [Op.in]: ids.map((r) => r.id) }, deletedAt: { [Op.ne]: null } },
      transaction: tx ?? null,
    });
  }
}
