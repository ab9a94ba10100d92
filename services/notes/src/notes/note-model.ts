import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { Note } from './note.js';
import { PREVIEW_COLUMN_CHARS } from './note-preview.js';

/** A row of `notes`: the note without its grants (those live in `note_grants`). */
export type NoteRow = Model &
  Omit<Note, 'grants' | 'tags' | 'formTags'> & {
    id: number;
    /** The form's tags, "a,b" (migration 021). */
    formTags: string;
    /** The list's preview of the body, made when it is saved (migration 060, note-preview.ts). */
    preview: string;
    /** In the trash since then (migration 031); null for a live note. */
    deletedAt: Date | null;
    deletedBy: string | null;
    /** The key it had before it went to the trash. */
    trashedKey: string | null;
  };

/** The `notes` table (created by migration 001, `visibility` added by 010; never by sync). */
export function defineNoteModel(db: Sequelize): ModelStatic<NoteRow> {
  return db.define<NoteRow>(
    'Note',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      title: { type: DataTypes.STRING(200), allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      owner: { type: DataTypes.STRING(100), allowNull: false },
      visibility: { type: DataTypes.STRING(10), allowNull: false },
      /** The form's tags, "a,b" (migration 021); `#tags` of the body are not in it. */
      formTags: { type: DataTypes.STRING(1100), allowNull: false, defaultValue: '' },
      /** The list's preview (migration 060): previewOf(body), written with every body. */
      preview: { type: DataTypes.STRING(PREVIEW_COLUMN_CHARS), allowNull: false, defaultValue: '' },
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
      deletedAt: { type: DataTypes.DATE(3), allowNull: true },
      deletedBy: { type: DataTypes.STRING(100), allowNull: true },
      trashedKey: { type: DataTypes.STRING(64), allowNull: true },
    },
    { tableName: 'notes', timestamps: true },
  );
}
