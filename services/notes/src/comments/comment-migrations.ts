import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';

/** The schema of comment edits and undoable deletes (issue 19), in the ui range 070-079. */
export const commentMigrations: Migration[] = [
  {
    // `editedAt`: when the author last changed the text (the page says "edited"). `deletedAt`: a
    // deletion that may still be undone; such a comment is hidden everywhere at once and removed
    // for good a few seconds later (comment-service.ts), by a sweep if its replica stopped first.
    name: '070-comment-edits',
    up: async (qi) => {
      await qi.addColumn('comments', 'editedAt', { type: DataTypes.DATE(3), allowNull: true });
      await qi.addColumn('comments', 'deletedAt', { type: DataTypes.DATE(3), allowNull: true });
      await qi.addIndex('comments', ['deletedAt'], { name: 'comments_deleted' });
    },
    down: async (qi) => {
      await qi.removeIndex('comments', 'comments_deleted');
      await qi.removeColumn('comments', 'deletedAt');
      await qi.removeColumn('comments', 'editedAt');
    },
  },
];
