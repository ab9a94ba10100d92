import type { ModelStatic, Sequelize } from 'sequelize';
import { defineNoteModel, type NoteRow } from '../notes/note-model.js';
import type { Visitor } from '../notes/note-policy.js';
import { readableWhere } from '../notes/note-readable.js';

/** Sequelize's own SQL writer (public on the instance, not in its types). */
interface SelectWriter {
  selectQuery(table: string, options: object, model: ModelStatic<NoteRow>): string;
}

/** The tags of the notes a visitor may read, with how many such notes carry each. */
export class TagRepository {
  private readonly notes: ModelStatic<NoteRow>;

  constructor(private readonly db: Sequelize) {
    this.notes = (db.models.Note as ModelStatic<NoteRow> | undefined) ?? defineNoteModel(db);
  }

  /** Most used first, then by name; one query (the read policy's WHERE as a sub-query). */
  async counts(visitor: Visitor, limit = 300): Promise<Array<{ tag: string; count: number }>> {
    const writer = (this.db.getQueryInterface() as unknown as { queryGenerator: SelectWriter })
      .queryGenerator;
    const readable = writer
      .selectQuery(
        'notes',
        { attributes: ['id'], where: readableWhere(visitor, 'all', (value) => this.db.escape(value)) },
        this.notes,
      )
      .replace(/;\s*$/, '');
    const [rows] = await this.db.query(
      `SELECT tag, COUNT(*) AS n FROM note_tags WHERE noteId IN (${readable}) GROUP BY tag ORDER BY n DESC, tag LIMIT ${Number(limit)}`,
    );
    return (rows as Array<{ tag: string; n: number | string }>).map((r) => ({
      tag: r.tag,
      count: Number(r.n),
    }));
  }
}
