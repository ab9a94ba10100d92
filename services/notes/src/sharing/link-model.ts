import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export type LinkRow = Model & {
  id: number;
  noteKey: string;
  tokenHash: string;
  createdBy: string;
  revokedAt: Date | null;
  createdAt: Date;
};

/** The `note_links` table (created by migration 012, never by sync): read-only links, hashed. */
export function defineLinkModel(db: Sequelize): ModelStatic<LinkRow> {
  return db.define<LinkRow>(
    'NoteLink',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      noteKey: { type: DataTypes.STRING(64), allowNull: false },
      tokenHash: { type: DataTypes.CHAR(64), allowNull: false, unique: true },
      createdBy: { type: DataTypes.STRING(100), allowNull: false },
      revokedAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'note_links', timestamps: true, updatedAt: false },
  );
}
