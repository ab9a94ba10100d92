import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';
import { retagAll } from './tag-index.js';

/** Tags (range 020-029 of the search feature), spread into db/migrations.ts. */
export const tagMigrations: Migration[] = [
  {
    // Tags (DESIGN 4.7): the form's own list on the note (`formTags`, "a,b"), and every tag of a
    // note, the form's and the text's `#words`, in `note_tags`; `tag, noteId` serves /tags/<tag>.
    // Notes written before get the tags of their text.
    name: '021-note-tags',
    up: async (qi, db) => {
      await qi.addColumn('notes', 'formTags', {
        type: DataTypes.STRING(1100),
        allowNull: false,
        defaultValue: '',
      });
      await qi.createTable('note_tags', {
        noteId: {
          type: DataTypes.INTEGER,
          allowNull: false,
          primaryKey: true,
          references: { model: 'notes', key: 'id' },
          onDelete: 'CASCADE',
        },
        // Binary: tags are compared as written (lower case already); MariaDB's unicode_ci would make
        // #cafe and #café one key.
        tag: { type: DataTypes.STRING(50).BINARY, allowNull: false, primaryKey: true },
      });
      await qi.addIndex('note_tags', ['tag', 'noteId'], { name: 'note_tags_tag_note' });
      await retagAll(db);
    },
    down: async (qi) => {
      await qi.dropTable('note_tags');
      await qi.removeColumn('notes', 'formTags');
    },
  },
];
