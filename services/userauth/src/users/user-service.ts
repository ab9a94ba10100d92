import { AppError } from '@notes/kit';
import { applyEmailEdit } from './email-edit.js';
import type { Passwords } from './password.js';
import type { NewUser, PasswordCheck, StoredUser, User, UserChanges, UserWrite } from './user.js';
import type { UserRepository } from './user-repository.js';

const WRONG = 'Incorrect username or password';

const toUser = (u: StoredUser): User => ({ id: u.username, ...u });

export type UserService = ReturnType<typeof createUserService>;

/** The rules: hashing, no merging of identities across providers, what 404/409 mean. */
export function createUserService(repo: UserRepository, passwords: Passwords) {
  /** A new local user needs a password; a third-party identity may have none (never checks true). */
  const toWrite = async (input: NewUser): Promise<UserWrite> => {
    const { password, ...rest } = input;
    if (password === undefined && input.provider === 'local')
      throw AppError.invalid('password', 'is required for local users');
    return { ...rest, passwordHash: password === undefined ? null : await passwords.toHash(password) };
  };

  return {
    async create(input: NewUser): Promise<User> {
      if (await repo.find(input.username)) throw AppError.conflict(`user ${input.username} exists`);
      return toUser(await repo.insert(await toWrite(input)));
    },

    /**
     * The existing user when one of the same provider exists; a new one otherwise. A third-party
     * identity never merges with a local account of the same name (or vice versa): 409.
     */
    async findOrCreate(input: NewUser): Promise<{ user: User; created: boolean }> {
      const existing = await repo.find(input.username);
      const same = (u: StoredUser) => {
        if (u.provider !== input.provider)
          throw AppError.conflict(`user ${input.username} exists with provider ${u.provider}`);
        return { user: toUser(u), created: false };
      };
      if (existing) return same(existing);
      try {
        return { user: toUser(await repo.insert(await toWrite(input))), created: true };
      } catch (err) {
        // Lost a race with a concurrent create of the same name.
        const winner =
          err instanceof AppError && err.code === 'conflict' && (await repo.find(input.username));
        if (winner) return same(winner);
        throw err;
      }
    },

    async find(username: string): Promise<User> {
      const user = await repo.find(username);
      if (!user) throw AppError.notFound(`no user ${username}`);
      return toUser(user);
    },

    async list(): Promise<User[]> {
      return (await repo.list()).map(toUser);
    },

    async update(username: string, changes: UserChanges): Promise<User> {
      const { password, addEmails, removeEmails, ...rest } = changes;
      const write =
        password === undefined ? rest : { ...rest, passwordHash: await passwords.toHash(password) };
      const edit =
        addEmails === undefined && removeEmails === undefined
          ? undefined
          : (current: string[]) =>
              applyEmailEdit(current, { add: addEmails ?? [], remove: removeEmails ?? [] });
      const user = await repo.update(username, write, edit);
      if (!user) throw AppError.notFound(`no user ${username}`);
      return toUser(user);
    },

    async destroy(username: string): Promise<void> {
      if (!(await repo.remove(username))) throw AppError.notFound(`no user ${username}`);
    },

    async passwordCheck(username: string, password: string): Promise<PasswordCheck> {
      const hash = await repo.passwordHashOf(username);
      return (await passwords.verify(password, hash))
        ? { check: true, username }
        : { check: false, username, message: WRONG };
    },
  };
}
