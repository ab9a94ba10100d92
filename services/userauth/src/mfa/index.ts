import type { Sequelize } from 'sequelize';
import type { UserService } from '../users/user-service.js';
import { createSecretBox } from './mfa-crypto.js';
import { createMfaRepository } from './mfa-repository.js';
import { createMfaService, type MfaOptions, type MfaService } from './mfa-service.js';

export { registerMfaRoutes } from './mfa-routes.js';
export type { MfaService } from './mfa-service.js';

/** Wires the second-factor feature; without a key it answers 503 to anything that needs one. */
export function createMfa(
  db: Sequelize,
  users: UserService,
  key: string | undefined,
  options: Partial<MfaOptions> = {},
): MfaService {
  return createMfaService(createMfaRepository(db), users, key ? createSecretBox(key) : undefined, {
    issuer: 'Notes',
    ...options,
  });
}
