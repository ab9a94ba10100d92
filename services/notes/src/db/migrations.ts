import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';
import { accountsMigrations } from '../accounts/accounts-migrations.js';
import { collabMigrations } from '../collab/collab-migrations.js';
import { commentMigrations } from '../comments/comment-migrations.js';
import { historyMigrations } from '../history/history-migrations.js';
import { notesMigrations } from '../notes/notes-migrations.js';
import { searchMigrations } from '../search/search-migrations.js';
import { tagMigrations } from '../tags/tag-migrations.js';
import { trashMigrations } from '../trash/trash-migrations.js';

/** The schema of svc-notes, in order. Never edit a released migration; add a new one. */
export const migrations: Migration[] = [
  {
    name: '001-notes',
    up: async (qi, db) => {
      const longText = db.getDialect() === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('medium');
      await qi.createTable('notes', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        title: { type: DataTypes.STRING(200), allowNull: false },
        body: { type: longText, allowNull: false },
        owner: { type: DataTypes.STRING(100), allowNull: false },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
        updatedAt: { type: DataTypes.DATE(3), allowNull: false },
      });
      await qi.addIndex('notes', ['createdAt', 'id'], { name: 'notes_created' });
    },
    down: async (qi) => qi.dropTable('notes'),
  },
  {
    name: '002-comments',
    up: async (qi) => {
      await qi.createTable('comments', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        noteKey: {
          type: DataTypes.STRING(64),
          allowNull: false,
          references: { model: 'notes', key: 'key' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        author: { type: DataTypes.STRING(100), allowNull: false },
        message: { type: DataTypes.TEXT, allowNull: false },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
      });
      await qi.addIndex('comments', ['noteKey', 'createdAt'], { name: 'comments_note_created' });
    },
    down: async (qi) => qi.dropTable('comments'),
  },
  {
    name: '003-sessions',
    up: async (qi) => {
      // The table connect-session-sequelize uses when NOTES_REDIS_URL is unset.
      await qi.createTable('sessions', {
        sid: { type: DataTypes.STRING(64), primaryKey: true },
        expires: { type: DataTypes.DATE, allowNull: true },
        data: { type: DataTypes.TEXT, allowNull: true },
        createdAt: { type: DataTypes.DATE, allowNull: false },
        updatedAt: { type: DataTypes.DATE, allowNull: false },
      });
      await qi.addIndex('sessions', ['expires'], { name: 'sessions_expires' });
    },
    down: async (qi) => qi.dropTable('sessions'),
  },
  {
    name: '004-limit-counters',
    up: async (qi) => {
      // Failed-login counters when NOTES_REDIS_URL is unset (limits/database-counters.ts).
      await qi.createTable('limit_counters', {
        name: { type: DataTypes.STRING(255), primaryKey: true },
        hits: { type: DataTypes.INTEGER, allowNull: false },
        resetAt: { type: DataTypes.BIGINT, allowNull: false },
      });
      await qi.addIndex('limit_counters', ['resetAt'], { name: 'limit_counters_reset' });
    },
    down: async (qi) => qi.dropTable('limit_counters'),
  },
  {
    // Who may read a note (DESIGN 4.6). Every note written before this migration was readable by
    // anyone, so existing notes become `public` and an upgrade changes nobody's reach; new notes
    // get NOTES_DEFAULT_VISIBILITY from the service.
    name: '010-note-visibility',
    up: async (qi) => {
      await qi.addColumn('notes', 'visibility', {
        type: DataTypes.STRING(10),
        allowNull: false,
        defaultValue: 'public',
      });
      await qi.addIndex('notes', ['owner', 'createdAt', 'id'], { name: 'notes_owner_created' });
    },
    down: async (qi) => {
      await qi.removeIndex('notes', 'notes_owner_created');
      await qi.removeColumn('notes', 'visibility');
    },
  },
  {
    // Sharing (DESIGN 4.6, 5): a note shared with a named user as viewer or editor. Grants go with
    // their note; `username, noteKey` serves the list's "shared with me" sub-query.
    name: '011-note-grants',
    up: async (qi) => {
      await qi.createTable('note_grants', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        noteKey: {
          type: DataTypes.STRING(64),
          allowNull: false,
          references: { model: 'notes', key: 'key' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        username: { type: DataTypes.STRING(100), allowNull: false },
        role: { type: DataTypes.STRING(10), allowNull: false },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
      });
      await qi.addIndex('note_grants', ['noteKey', 'username'], {
        name: 'note_grants_note_user',
        unique: true,
      });
      await qi.addIndex('note_grants', ['username', 'noteKey'], { name: 'note_grants_user_note' });
    },
    down: async (qi) => qi.dropTable('note_grants'),
  },
  {
    // Read-only links (DESIGN 4.6, 5): only the sha256 of the token is kept; revoked links stay
    // (revokedAt) so the owner's page can tell what existed. Links go with their note.
    name: '012-note-links',
    up: async (qi) => {
      await qi.createTable('note_links', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        noteKey: {
          type: DataTypes.STRING(64),
          allowNull: false,
          references: { model: 'notes', key: 'key' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        tokenHash: { type: DataTypes.CHAR(64), allowNull: false, unique: true },
        createdBy: { type: DataTypes.STRING(100), allowNull: false },
        revokedAt: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
      });
      await qi.addIndex('note_links', ['noteKey'], { name: 'note_links_note' });
    },
    down: async (qi) => qi.dropTable('note_links'),
  },
  ...historyMigrations,
  ...searchMigrations,
  ...collabMigrations,
  ...trashMigrations,
  ...accountsMigrations,
  ...tagMigrations,
  ...notesMigrations,
  ...commentMigrations,
];
