import type { Migration } from '@notes/kit';
import { userMigrations } from '../users/user-migrations.js';

/** Every migration of the service, in order. */
export const migrations: Migration[] = [...userMigrations];
