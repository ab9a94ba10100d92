import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { Revision } from './revision.js';

export type RevisionRow = Model & Revision & { id: number; noteKey: string };

/** The `note_revisions` table (created by migration 030, never by sync). */
export function defineRevisionModel(db: Sequelize): ModelStatic<RevisionRow> {
  return db.define<RevisionRow>(
    'NoteRevision',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      noteKey: { type: DataTypes.STRING(64), allowNull: false },
      number: { type: DataTypes.INTEGER, allowNull: false },
      author: { type: DataTypes.STRING(100), allowNull: false },
      title: { type: DataTypes.STRING(200), allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      size: { type: DataTypes.INTEGER, allowNull: false },
      restoredFrom: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'note_revisions', timestamps: false },
  );
}
