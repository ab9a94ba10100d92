import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';
import { usernameColumn } from './user-model.js';

/** Schema history of the users feature; never edit a shipped migration, add a new one. */
export const userMigrations: Migration[] = [
  {
    name: '001-users',
    up: async (qi, db) => {
      const mysql = db.getDialect() === 'mysql';
      await qi.createTable(
        'users',
        {
          username: { type: usernameColumn(), primaryKey: true, allowNull: false },
          provider: { type: DataTypes.STRING(50), allowNull: false, defaultValue: 'local' },
          passwordHash: { type: DataTypes.STRING(60), allowNull: true },
          familyName: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
          givenName: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
          middleName: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
          emails: { type: DataTypes.TEXT, allowNull: false },
          photos: { type: DataTypes.TEXT, allowNull: false },
          createdAt: { type: DataTypes.DATE, allowNull: false },
          updatedAt: { type: DataTypes.DATE, allowNull: false },
        },
        mysql ? { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' } : {},
      );
    },
    down: async (qi) => {
      await qi.dropTable('users');
    },
  },
];
