import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';

/**
 * Accounts (range 050-059). `user_sessions` indexes the sessions of each user, whatever the
 * session store (Redis or the `sessions` table), so that a password change can end the others and
 * the profile page can list them: one row per signed-in session, made at login, gone at logout.
 */
export const accountsMigrations: Migration[] = [
  {
    name: '050-user-sessions',
    up: async (qi) => {
      await qi.createTable('user_sessions', {
        sid: { type: DataTypes.STRING(128), primaryKey: true },
        username: { type: DataTypes.STRING(100), allowNull: false },
        userAgent: { type: DataTypes.STRING(200), allowNull: false },
        address: { type: DataTypes.STRING(64), allowNull: false },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
        expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      });
      await qi.addIndex('user_sessions', ['username', 'createdAt'], { name: 'user_sessions_user' });
      await qi.addIndex('user_sessions', ['expiresAt'], { name: 'user_sessions_expires' });
    },
    down: async (qi) => qi.dropTable('user_sessions'),
  },
];
