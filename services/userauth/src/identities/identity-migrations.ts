import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';
import { usernameColumn } from '../users/user-model.js';
import { issuerColumn, subjectColumn } from './identity-model.js';

/**
 * Third-party identities (accounts range 050-059). The key is (issuer, subject), as OpenID Connect
 * defines an account; the user row it signs in as goes with it (ON DELETE CASCADE).
 */
export const identityMigrations: Migration[] = [
  {
    name: '050-identities',
    up: async (qi, db) => {
      const mysql = db.getDialect() === 'mysql';
      await qi.createTable(
        'identities',
        {
          issuer: { type: issuerColumn(), primaryKey: true, allowNull: false },
          subject: { type: subjectColumn(), primaryKey: true, allowNull: false },
          username: {
            type: usernameColumn(),
            allowNull: false,
            references: { model: 'users', key: 'username' },
            onDelete: 'CASCADE',
            onUpdate: 'CASCADE',
          },
          createdAt: { type: DataTypes.DATE, allowNull: false },
          updatedAt: { type: DataTypes.DATE, allowNull: false },
        },
        mysql ? { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' } : {},
      );
      await qi.addIndex('identities', ['username'], { name: 'identities_username' });
    },
    down: async (qi) => {
      await qi.dropTable('identities');
    },
  },
];
