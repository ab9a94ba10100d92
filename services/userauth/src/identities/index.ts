import type { Sequelize } from 'sequelize';
import type { UserService } from '../users/user-service.js';
import { createIdentityRepository } from './identity-repository.js';
import { createIdentityService, type IdentityService } from './identity-service.js';

export { registerIdentityRoutes } from './identity-routes.js';
export type { IdentityService } from './identity-service.js';

/** Wires the identities feature on top of the users feature. */
export function createIdentities(db: Sequelize, users: UserService): IdentityService {
  return createIdentityService(createIdentityRepository(db), users);
}
