import type { User } from '../client/types.js';

export type { PasswordCheck, User } from '../client/types.js';

/** Validated input of create-user / find-or-create (password: plain text or a bcrypt hash). */
export type NewUser = Omit<User, 'id'> & { password?: string | undefined };

/**
 * Validated input of update-user; absent fields stay as they are. `emails` replaces the list;
 * `addEmails` / `removeEmails` change it in place (never together with `emails`).
 */
export type UserChanges = Partial<Omit<NewUser, 'username'>> & {
  addEmails?: string[] | undefined;
  removeEmails?: string[] | undefined;
};

/** A stored user as the repository hands it out: never with the hash. */
export type StoredUser = Omit<User, 'id'>;

/** What the repository writes: the hash, never a plain password. */
export type UserWrite = Omit<NewUser, 'password'> & { passwordHash: string | null };
export type UserWriteChanges = Partial<Omit<UserWrite, 'username'>>;
