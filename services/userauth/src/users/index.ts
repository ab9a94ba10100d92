import type { Sequelize } from 'sequelize';
import { createPasswords } from './password.js';
import { createUserRepository } from './user-repository.js';
import { createUserService, type UserService } from './user-service.js';

export { registerUserRoutes } from './user-routes.js';
export type { UserService } from './user-service.js';

/** Wires the users feature: repository → service. */
export function createUsers(db: Sequelize, bcryptCost: number): UserService {
  const passwords = createPasswords(bcryptCost);
  void passwords.warmUp(); // the dummy hash for unknown users is ready before the first check
  return createUserService(createUserRepository(db), passwords);
}
