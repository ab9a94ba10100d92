import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';
import { usernameColumn } from '../users/user-model.js';

/** TOTP second factors (accounts range 050-059); a user's goes with it (ON DELETE CASCADE). */
export const mfaMigrations: Migration[] = [
  {
    name: '051-mfa',
    up: async (qi, db) => {
      const mysql = db.getDialect() === 'mysql';
      await qi.createTable(
        'mfa',
        {
          username: {
            type: usernameColumn(),
            primaryKey: true,
            allowNull: false,
            references: { model: 'users', key: 'username' },
            onDelete: 'CASCADE',
            onUpdate: 'CASCADE',
          },
          secret: { type: DataTypes.STRING(255), allowNull: false },
          confirmed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
          lastStep: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
          recoveryCodes: { type: DataTypes.TEXT, allowNull: false },
          createdAt: { type: DataTypes.DATE, allowNull: false },
          updatedAt: { type: DataTypes.DATE, allowNull: false },
        },
        mysql ? { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' } : {},
      );
    },
    down: async (qi) => {
      await qi.dropTable('mfa');
    },
  },
];
