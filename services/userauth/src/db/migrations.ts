import type { Migration } from '@notes/kit';
import { identityMigrations } from '../identities/identity-migrations.js';
import { mfaMigrations } from '../mfa/mfa-migrations.js';
import { userMigrations } from '../users/user-migrations.js';

/** Every migration of the service, in order. */
export const migrations: Migration[] = [...userMigrations, ...identityMigrations, ...mfaMigrations];
