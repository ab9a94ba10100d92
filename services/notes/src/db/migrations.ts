import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';

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
];
