import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { Comment } from './comment.js';

export type CommentRow = Model & Comment & { deletedAt: Date | null };

/** The `comments` table (created by migration 002; edits and undoable deletes: 070). */
export function defineCommentModel(db: Sequelize): ModelStatic<CommentRow> {
  return db.define<CommentRow>(
    'Comment',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      noteKey: { type: DataTypes.STRING(64), allowNull: false },
      author: { type: DataTypes.STRING(100), allowNull: false },
      message: { type: DataTypes.TEXT, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      editedAt: { type: DataTypes.DATE(3), allowNull: true },
      deletedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    { tableName: 'comments', timestamps: true, updatedAt: false },
  );
}
