import { type Sequelize, UniqueConstraintError } from 'sequelize';
import type { UserWrite } from '../users/user.js';
import { defineUserModel, type UserRow } from '../users/user-model.js';
import { defineIdentityModel } from './identity-model.js';

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;

/** Sequelize only: which user an (issuer, subject) signs in as, and making both in one transaction. */
export function createIdentityRepository(db: Sequelize) {
  const Identities = defineIdentityModel(db);
  const Users = (db.models.users as ReturnType<typeof defineUserModel> | undefined) ?? defineUserModel(db);

  return {
    async usernameOf(issuer: string, subject: string): Promise<string | null> {
      const found = await Identities.findOne({ where: { issuer, subject } });
      return found ? (found.get('username') as string) : null;
    },

    /**
     * Makes the user and its identity together. 'taken': the username exists (try another);
     * 'exists': the identity was made meanwhile (a concurrent first login); true: made.
     */
    async createWithUser(
      issuer: string,
      subject: string,
      user: UserWrite,
    ): Promise<true | 'taken' | 'exists'> {
      try {
        await db.transaction(async (transaction) => {
          const { emails, photos, ...rest } = user;
          await Users.create(
            { ...rest, emails: JSON.stringify(emails), photos: JSON.stringify(photos) } as UserRow,
            { transaction },
          );
          await Identities.create({ issuer, subject, username: user.username }, { transaction });
        });
        return true;
      } catch (err) {
        if (!(err instanceof UniqueConstraintError)) throw err;
        return (await Identities.findOne({ where: { issuer, subject } })) ? 'exists' : 'taken';
      }
    },
  };
}
