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

/** How often update retries a list edit that lost a race with another write. */
const CAS_ATTEMPTS = 5;

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

    /**
     * Null when there is no such user. `editEmails`, if given, computes the new address list from
     * the stored one; the write only lands if the list is still the one read (compare and set,
     * retried), so a concurrent change of the addresses is never overwritten.
     */
    async update(
      username: string,
      changes: UserWriteChanges,
      editEmails?: (current: string[]) => string[],
    ): Promise<StoredUser | null> {
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const current = await Users.findByPk(username, { attributes: ['emails'] });
        if (current === null) return null;
        const before = current.get('emails') as string;
        const row = toRow(editEmails ? { ...changes, emails: editEmails(JSON.parse(before)) } : changes);
        if (Object.keys(row).length === 0) return this.find(username);
        const [count] = await Users.update(row, {
          where: editEmails ? { username, emails: before } : { username },
        });
        if (count > 0 || !editEmails) return this.find(username);
        // No row for a list edit: the user is gone, nothing changed (MySQL counts changed rows
        // only), or the addresses changed since they were read: then read them again.
        const now = await Users.findByPk(username, { attributes: ['emails'] });
        if (now === null || now.get('emails') === before) return this.find(username);
      }
      throw AppError.conflict(`the addresses of ${username} keep changing: try again`);
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
