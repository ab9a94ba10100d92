import type { Migration } from '@notes/kit';
import { DataTypes, type Sequelize } from 'sequelize';
import { PREVIEW_COLUMN_CHARS, previewOf } from './note-preview.js';

const BATCH = 500;

/** Fills `notes.preview` for every note (trashed ones too: they are listed again when restored). */
async function backfillPreviews(db: Sequelize): Promise<void> {
  for (let after = 0; ; ) {
    const [rows] = await db.query(
      'SELECT id, SUBSTR(body, 1, 400) AS start FROM notes WHERE id > ? ORDER BY id LIMIT ?',
      {
        replacements: [after, BATCH],
      },
    );
    const batch = rows as Array<{ id: number; start: string }>;
    if (batch.length === 0) return;
    await db.transaction(async (transaction) => {
      for (const { id, start } of batch)
        await db.query('UPDATE notes SET preview = ? WHERE id = ?', {
          replacements: [previewOf(start), id],
          transaction,
        });
    });
    after = Number(batch.at(-1)!.id);
  }
}

/** The notes list's own columns (perf range 060-069), spread into db/migrations.ts. */
export const notesMigrations: Migration[] = [
  {
    // The list's one-line preview, made when the body is saved (note-preview.ts) instead of on every
    // list page for every row; notes written before get theirs here.
    name: '060-note-preview',
    up: async (qi, db) => {
      await qi.addColumn('notes', 'preview', {
        type: DataTypes.STRING(PREVIEW_COLUMN_CHARS),
        allowNull: false,
        defaultValue: '',
      });
      await backfillPreviews(db);
    },
    down: async (qi) => qi.removeColumn('notes', 'preview'),
  },
];
