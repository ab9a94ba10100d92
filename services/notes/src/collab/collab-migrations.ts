import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';

/**
 * Editing together (DESIGN 4.9): the merged Yjs state of a note (`note_collab_states`, one row per
 * note, written with the note's body by compaction) and the append-only log of the updates that
 * arrived since (`note_collab_updates`, each stored before it is acknowledged, deleted by id once
 * merged). Both go with their note.
 */
export const collabMigrations: Migration[] = [
  {
    name: '040-note-collab',
    up: async (qi, db) => {
      const blob = db.getDialect() === 'sqlite' ? DataTypes.BLOB : DataTypes.BLOB('medium');
      const noteKey = {
        type: DataTypes.STRING(64),
        allowNull: false,
        references: { model: 'notes', key: 'key' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      } as const;
      await qi.createTable('note_collab_states', {
        noteKey: { ...noteKey, primaryKey: true },
        state: { type: blob, allowNull: false },
        /** Incremented by every compaction: replicas holding the document notice merged rows. */
        seq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        updatedAt: { type: DataTypes.DATE(3), allowNull: false },
      });
      await qi.createTable('note_collab_updates', {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        noteKey,
        data: { type: blob, allowNull: false },
        author: { type: DataTypes.STRING(100), allowNull: false },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
      });
      await qi.addIndex('note_collab_updates', ['noteKey', 'id'], { name: 'note_collab_updates_note' });
    },
    down: async (qi) => {
      await qi.dropTable('note_collab_updates');
      await qi.dropTable('note_collab_states');
    },
  },
];
