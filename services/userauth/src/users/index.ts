import type { Sequelize } from 'sequelize';
import { createPasswords } from './password.js';
import { createUserRepository } from './repository.js';
import { createUserService, type UserService } from './service.js';

export { registerUserRoutes } from './routes.js';
export type { UserService } from './service.js';

/** Wires the users feature: repository → service. */
export function createUsers(db: Sequelize, bcryptCost: number): UserService {
  const passwords = createPasswords(bcryptCost);
  void passwords.warmUp(); // the dummy hash for unknown users is ready before the first check
  return createUserService(createUserRepository(db), passwords);
}
