import { AppError } from '@notes/kit';
import { type Sequelize, UniqueConstraintError } from 'sequelize';
import type { StoredUser, UserWrite, UserWriteChanges } from './user.js';
import { defineUserModel, type UserRow } from './user-model.js';

const PUBLIC_COLUMNS = [
  'username',
  'provider',
  'familyName',
  'givenName',
  'middleName',
  'emails',
  'photos',
] as const;

function toStored(row: Omit<UserRow, 'passwordHash'>): StoredUser {
  return {
    username: row.username,
    provider: row.provider,
    familyName: row.familyName,
    givenName: row.givenName,
    middleName: row.middleName,
    emails: JSON.parse(row.emails) as string[],
    photos: JSON.parse(row.photos) as string[],
  };
}

function toRow(changes: UserWriteChanges): Partial<UserRow> {
  const { emails, photos, ...rest } = changes;
  return {
    ...rest,
    ...(emails === undefined ? {} : { emails: JSON.stringify(emails) }),
    ...(photos === undefined ? {} : { photos: JSON.stringify(photos) }),
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;

/** Sequelize only; returns plain objects. Password hashes leave only through passwordHashOf. */
export function createUserRepository(db: Sequelize) {
  const Users = defineUserModel(db);

  return {
    async find(username: string): Promise<StoredUser | null> {
      const row = await Users.findByPk(username, { attributes: [...PUBLIC_COLUMNS] });
      return row ? toStored(row.get({ plain: true })) : null;
    },

    async list(): Promise<StoredUser[]> {
      const rows = await Users.findAll({
        attributes: [...PUBLIC_COLUMNS],
        order: [['username', 'ASC']],
      });
      return rows.map((r) => toStored(r.get({ plain: true })));
    },

    /** Throws a conflict AppError when the username is taken. */
    async insert(user: UserWrite): Promise<StoredUser> {
      try {
        await Users.create(toRow(user) as UserRow);
      } catch (err) {
        if (err instanceof UniqueConstraintError) throw AppError.conflict(`user ${user.username} exists`);
        throw err;
      }
      const { passwordHash: _hash, ...stored } = user;
      return stored;
    },

    /** Null when there is no such user. */
    async update(username: string, changes: UserWriteChanges): Promise<StoredUser | null> {
      if ((await this.find(username)) === null) return null;
      const row = toRow(changes);
      if (Object.keys(row).length > 0) await Users.update(row, { where: { username } });
      return this.find(username);
    },

    /** False when there was no such user. */
    async remove(username: string): Promise<boolean> {
      return (await Users.destroy({ where: { username } })) > 0;
    },

    /** undefined: no such user; null: a user without a password (third-party identity). */
    async passwordHashOf(username: string): Promise<string | null | undefined> {
      const row = await Users.findByPk(username, { attributes: ['passwordHash'] });
      return row ? row.get({ plain: true }).passwordHash : undefined;
    },
  };
}
