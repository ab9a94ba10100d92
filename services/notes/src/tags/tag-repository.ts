import type { PreparedRead } from '../db/prepared-reads.js';
import type { Visitor } from '../notes/note-policy.js';
import { readableSql } from '../notes/note-readable.js';

export interface TagCount {
  tag: string;
  count: number;
}

/** The tags of the notes a visitor may read, with how many such notes carry each. */
export class TagRepository {
  constructor(private readonly read: PreparedRead) {}

  /**
   * Most used first, then by name; one prepared statement per kind of visitor (the read policy's
   * WHERE as a sub-query, note-readable.ts), served by the `tag, noteId` index.
   */
  async counts(visitor: Visitor, limit = 300): Promise<TagCount[]> {
    const where = readableSql(visitor, 'all', 'Note');
    const rows = await this.read<{ tag: string; n: number | string }>(
      'SELECT tag, COUNT(*) AS n FROM note_tags' +
        ` WHERE noteId IN (SELECT \`Note\`.id FROM notes AS \`Note\` WHERE ${where.sql})` +
        ' GROUP BY tag ORDER BY n DESC, tag LIMIT ?',
      [...where.params, limit],
    );
    return rows.map((r) => ({ tag: r.tag, count: Number(r.n) }));
  }
}
