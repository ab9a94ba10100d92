import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { GrantRole } from './note-policy.js';

export type GrantRow = Model & {
  id: number;
  noteKey: string;
  username: string;
  role: GrantRole;
  createdAt: Date;
};

/** The `note_grants` table (created by migration 011, never by sync): one row per note and user. */
export function defineGrantModel(db: Sequelize): ModelStatic<GrantRow> {
  return db.define<GrantRow>(
    'NoteGrant',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      noteKey: { type: DataTypes.STRING(64), allowNull: false },
      username: { type: DataTypes.STRING(100), allowNull: false },
      role: { type: DataTypes.STRING(10), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'note_grants', timestamps: true, updatedAt: false },
  );
}
