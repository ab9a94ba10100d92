import type { Sequelize, Transaction } from 'sequelize';
import { noteTags, parseTagList } from './tag-text.js';

/** The form's tags as the `notes.formTags` column keeps them: "a,b" (tags hold no commas). */
export const formTagsColumn = (tags: readonly string[]): string => tags.join(',');
export const formTagsOf = (column: string | null | undefined): string[] =>
  column ? column.split(',').filter(Boolean) : [];

/**
 * Keeps `note_tags` (one row per note and tag, for `/tags/<tag>`, the list's chips and the `tag=`
 * filter of search) equal to a note's form tags plus the `#tags` of its text. The note repository
 * calls `putKey` in the transaction of every create and edit; rows go with their note through the
 * foreign key. Who may see a tag is the read policy's business at query time.
 */
export class TagIndex {
  constructor(private readonly db: Sequelize) {}

  async putKey(key: string, transaction?: Transaction): Promise<void> {
    const opts = { ...(transaction ? { transaction } : {}) };
    const [rows] = await this.db.query('SELECT id, body, formTags FROM notes WHERE `key` = ?', {
      replacements: [key],
      ...opts,
    });
    const note = (rows as Array<{ id: number; body: string; formTags: string }>)[0];
    if (!note) return;
    const tags = noteTags(formTagsOf(note.formTags), note.body);
    await this.db.query('DELETE FROM note_tags WHERE noteId = ?', { replacements: [note.id], ...opts });
    if (tags.length === 0) return;
    await this.db.query(`INSERT INTO note_tags (noteId, tag) VALUES ${tags.map(() => '(?, ?)').join(', ')}`, {
      replacements: tags.flatMap((tag) => [note.id, tag]),
      ...opts,
    });
  }
}

/** For migrations and repairs: every note's tags written again. */
export async function retagAll(db: Sequelize): Promise<void> {
  const index = new TagIndex(db);
  const [rows] = await db.query('SELECT `key` FROM notes');
  for (const { key } of rows as Array<{ key: string }>) await index.putKey(key);
}

export { parseTagList };
