import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, REPO_ROOT, type ServiceProcess, startServiceProcess } from '@notes/testkit';
import { createTestDatabase } from '@notes/testkit/vitest';
import { UserauthClient } from '@notes/userauth/client';

export interface RunningUserauth {
  url: string;
  apiKey: string;
  client: UserauthClient;
  process: ServiceProcess;
  createUser(username: string, password: string): Promise<void>;
  stop(): Promise<void>;
}

export interface Credentials {
  username: string;
  password: string;
}

/** A real svc-userauth process (built dist/main.js) on its own MariaDB database, with `users` in it. */
export async function startUserauth(users: Credentials[] = []): Promise<RunningUserauth> {
  const entry = 'services/userauth/dist/main.js';
  if (!existsSync(resolve(REPO_ROOT, entry))) throw new Error(`${entry} is missing: run "pnpm build" first`);
  const db = await createTestDatabase('notes_ua');
  const apiKey = `notes:${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const proc = await startServiceProcess({
    script: entry,
    port,
    env: {
      USERAUTH_DB_URL: db.url,
      USERAUTH_API_KEYS: apiKey,
      USERAUTH_BCRYPT_COST: '4',
      USERAUTH_MFA_KEY: randomBytes(32).toString('hex'),
      USERAUTH_MIGRATE_ON_START: 'true',
      LOG_LEVEL: 'warn',
    },
    timeoutMs: 30_000,
  });
  const client = new UserauthClient({ url: proc.url, apiKey });
  for (const user of users) await client.createUser(user);
  return {
    url: proc.url,
    apiKey,
    client,
    process: proc,
    createUser: async (username, password) => {
      await client.createUser({ username, password });
    },
    stop: async () => {
      await proc.stop();
      await db.drop();
    },
  };
}
