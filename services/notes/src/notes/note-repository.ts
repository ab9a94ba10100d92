import { type ModelStatic, type Sequelize, UniqueConstraintError } from 'sequelize';
import type { Note, NoteSummary } from './note.js';
import { defineNoteModel, type NoteRow } from './note-model.js';

/** The plain note of a row (fresh Date objects, whatever the dialect hands back). */
function toNote({ key, title, body, owner, version, createdAt, updatedAt }: NoteRow): Note {
  return { key, title, body, owner, version, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

export type UpdateResult = 'updated' | 'stale' | 'missing';

/** Sequelize access to notes; every method returns plain objects. */
export class NoteRepository {
  private readonly notes: ModelStatic<NoteRow>;

  constructor(db: Sequelize) {
    this.notes = (db.models.Note as ModelStatic<NoteRow> | undefined) ?? defineNoteModel(db);
  }

  async find(key: string): Promise<Note | null> {
    const row = await this.notes.findOne({ where: { key } });
    return row ? toNote(row) : null;
  }

  /** One page of summaries, newest first, in exactly one query (limit + 1 tells if more follow). */
  async page(offset: number, limit: number): Promise<{ notes: NoteSummary[]; hasNext: boolean }> {
    const rows = await this.notes.findAll({
      attributes: ['key', 'title', 'owner', 'createdAt'],
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      offset,
      limit: limit + 1,
      raw: true,
    });
    return {
      notes: rows.slice(0, limit).map((r) => ({
        key: r.key,
        title: r.title,
        owner: r.owner,
        createdAt: new Date(r.createdAt),
      })),
      hasNext: rows.length > limit,
    };
  }

  /** Inserts a note; null when the key is taken. */
  async create(input: { key: string; title: string; body: string; owner: string }): Promise<Note | null> {
    try {
      const row = await this.notes.create({ ...input, version: 1 });
      return toNote(row);
    } catch (err) {
      if (err instanceof UniqueConstraintError) return null;
      throw err;
    }
  }

  /** Saves only when the stored version is still `version` (optimistic concurrency). */
  async update(
    key: string,
    version: number,
    changes: { title: string; body: string },
  ): Promise<{ result: UpdateResult; note?: Note }> {
    const [count] = await this.notes.update(
      { ...changes, version: version + 1, updatedAt: new Date() },
      { where: { key, version } },
    );
    if (count === 1) {
      const note = await this.find(key);
      return note ? { result: 'updated', note } : { result: 'missing' };
    }
    const current = await this.find(key);
    return { result: current ? 'stale' : 'missing' };
  }

  /**
   * Deletes the note; its comments go with it through the foreign key of `comments.noteKey`
   * (ON DELETE CASCADE, migration 002). False when there was no such note.
   */
  async destroy(key: string): Promise<boolean> {
    return (await this.notes.destroy({ where: { key } })) > 0;
  }
}
