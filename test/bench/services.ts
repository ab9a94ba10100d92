import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '@notes/testkit';
import { type BenchProcess, spawnService } from './process.js';

export const USERAUTH_ENTRY = 'services/userauth/dist/main.js';
export const NOTES_ENTRY = 'services/notes/dist/main.js';
export const BASELINE_ENTRY = 'test/bench/baseline/main.ts';
export const RAW_BASELINE_ENTRY = 'test/bench/baseline/raw.ts';

export interface Secrets {
  apiKey: string;
  sessionSecret: string;
}

export function newSecrets(): Secrets {
  return {
    apiKey: `bench:${randomBytes(18).toString('hex')}`,
    sessionSecret: randomBytes(32).toString('hex'),
  };
}

/**
 * Node flags that write CPU profiles into `dir/<label>/` when the process exits (one file per
 * thread: with `--import tsx` the loader thread writes one too; the main thread's is the big one).
 */
const cpuProf = (dir: string | undefined, label: string) =>
  dir ? ['--cpu-prof', '--cpu-prof-dir', join(dir, label)] : [];

export interface Common {
  logDir: string;
  secrets: Secrets;
  /** Extra environment for svc-notes (--notes-env). */
  notesEnv?: Record<string, string>;
  /** Another svc-notes entry point (--notes-entry). */
  notesEntry?: string | undefined;
}

/** svc-userauth in production mode on its own database, migrating at start. */
export async function startUserauth(
  c: Common,
  o: { label: string; dbUrl: string; bcryptCost: number },
): Promise<BenchProcess> {
  return spawnService({
    label: o.label,
    script: USERAUTH_ENTRY,
    port: await freePort(),
    logDir: c.logDir,
    timeoutMs: 60_000,
    env: {
      NODE_ENV: 'production',
      USERAUTH_DB_URL: o.dbUrl,
      USERAUTH_API_KEYS: c.secrets.apiKey,
      USERAUTH_BCRYPT_COST: String(o.bcryptCost),
      USERAUTH_MIGRATE_ON_START: 'true',
    },
  });
}

/** svc-notes in production mode (Redis sessions and Socket.IO adapter), migrating at start. */
export async function startNotes(
  c: Common,
  o: {
    label: string;
    dbUrl: string;
    redisUrl: string;
    userauthUrl: string;
    cpuProfDir?: string | undefined;
    /** This entry point instead of Common's (the B side of --notes-entry-b). */
    entry?: string | undefined;
    /** Environment on top of Common's (the B side of --notes-env-b). */
    env?: Record<string, string> | undefined;
  },
): Promise<BenchProcess> {
  return spawnService({
    label: o.label,
    script: o.entry ?? c.notesEntry ?? NOTES_ENTRY,
    port: await freePort(),
    logDir: c.logDir,
    timeoutMs: 60_000,
    nodeArgs: cpuProf(o.cpuProfDir, o.label),
    env: {
      NODE_ENV: 'production',
      NOTES_DB_URL: o.dbUrl,
      NOTES_REDIS_URL: o.redisUrl,
      NOTES_SESSION_SECRET: c.secrets.sessionSecret,
      USERAUTH_URL: o.userauthUrl,
      USERAUTH_API_KEY: c.secrets.apiKey,
      NOTES_MIGRATE_ON_START: 'true',
      // One user logs in over and over from one address: the login limits (README "Login limits") are
      // raised so that no run ever measures a wait, and writes so that no edit is refused. Only the
      // app's own settings are raised.
      NOTES_LOGIN_LIMIT_PER_CLIENT: '100000',
      NOTES_LOGIN_LIMIT_PER_USER: '100000',
      NOTES_WRITE_LIMIT_BURST: '100000',
      ...c.notesEnv,
      ...o.env,
    },
  });
}

/**
 * A baseline on the same databases: the bare one (Express + mysql2 + hbs, `express`) or the limit
 * (the same pages on node:http, `raw`).
 */
export async function startBaseline(
  c: Common,
  o: {
    kind: 'express' | 'raw';
    notesDbUrl: string;
    usersDbUrl: string;
    pageSize: number;
    cpuProfDir?: string | undefined;
  },
): Promise<BenchProcess> {
  const label = o.kind === 'express' ? 'baseline' : 'raw';
  return spawnService({
    label,
    script: o.kind === 'express' ? BASELINE_ENTRY : RAW_BASELINE_ENTRY,
    port: await freePort(),
    logDir: c.logDir,
    nodeArgs: ['--import', 'tsx', ...cpuProf(o.cpuProfDir, label)],
    env: {
      NODE_ENV: 'production',
      BASELINE_NOTES_DB_URL: o.notesDbUrl,
      BASELINE_USERS_DB_URL: o.usersDbUrl,
      BASELINE_PAGE_SIZE: String(o.pageSize),
    },
  });
}
