import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';

/** The schema of the history (DESIGN 4.8, 5), in the history/trash range 030-039. */
export const historyMigrations: Migration[] = [
  {
    // One row per revision: a whole snapshot (title and body), so that any two compare without
    // replaying anything and a pruned revision leaves the others intact. Revisions go with their
    // note and follow its key (a note restored from the trash under a new key keeps them).
    // Every note written before this migration gets its current text as revision 1, by its owner.
    name: '030-note-revisions',
    up: async (qi, db) => {
      const sqlite = db.getDialect() === 'sqlite';
      await qi.createTable('note_revisions', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        noteKey: {
          type: DataTypes.STRING(64),
          allowNull: false,
          references: { model: 'notes', key: 'key' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        number: { type: DataTypes.INTEGER, allowNull: false },
        author: { type: DataTypes.STRING(100), allowNull: false },
        title: { type: DataTypes.STRING(200), allowNull: false },
        body: { type: sqlite ? DataTypes.TEXT : DataTypes.TEXT('medium'), allowNull: false },
        /** Characters (code points) of the body, so the history page never loads the bodies. */
        size: { type: DataTypes.INTEGER, allowNull: false },
        /** The revision whose text this one brought back (POST /notes/restore), else null. */
        restoredFrom: { type: DataTypes.INTEGER, allowNull: true },
        /** The first save of the revision (folding measures its window from here). */
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
        /** The last save folded into it. */
        updatedAt: { type: DataTypes.DATE(3), allowNull: false },
      });
      await qi.addIndex('note_revisions', ['noteKey', 'number'], {
        name: 'note_revisions_note_number',
        unique: true,
      });
      const chars = sqlite ? 'LENGTH' : 'CHAR_LENGTH';
      await db.query(
        'INSERT INTO note_revisions (noteKey, number, author, title, body, size, restoredFrom, createdAt, updatedAt) ' +
          `SELECT \`key\`, 1, owner, title, body, ${chars}(body), NULL, updatedAt, updatedAt FROM notes`,
      );
    },
    down: async (qi) => qi.dropTable('note_revisions'),
  },
];
