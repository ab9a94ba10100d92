import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  freePort,
  REPO_ROOT,
  type ServiceProcess,
  startRedis,
  startServiceProcess,
  type Throwaway,
} from '@notes/testkit';
import { createTestDatabase, redisUrl, type TestDatabase } from '@notes/testkit/vitest';
import { UserauthClient } from '@notes/userauth/client';

export const USERAUTH_ENTRY = 'services/userauth/dist/main.js';
export const NOTES_ENTRY = 'services/notes/dist/main.js';

export interface AppStackOptions {
  /** How many svc-notes processes share the notes database and Redis (default 1). */
  notesReplicas?: number;
  /**
   * 'run' (default): the test run's Redis. 'own': a private redis-server for this stack, so that
   * Socket.IO fan-out (Redis pub/sub ignores database numbers) never mixes with other test files.
   * 'none': no Redis at all (sessions in the notes database, in-process Socket.IO adapter).
   */
  redis?: 'run' | 'own' | 'none';
  /** A Redis URL of the test's own (e.g. a restartable one for fault tests); overrides `redis`. */
  redisUrl?: string;
  /** Admin URL of another MariaDB for the notes database (e.g. a restartable one); userauth stays on the run's. */
  notesMysqlAdminUrl?: string;
  /** The port of notes[0] (default: a free one), for a URL that must be known before the start. */
  notesPort?: number;
  /** Extra environment for every svc-notes process. */
  notesEnv?: Record<string, string>;
  /** Extra environment for the svc-userauth process. */
  userauthEnv?: Record<string, string>;
  /** Database name prefix, to tell stacks apart in the MariaDB (default 'stack'). */
  name?: string;
  /** Readiness timeout per process (default 30 s). */
  timeoutMs?: number;
}

export interface AppStack {
  userauth: ServiceProcess;
  /** The svc-notes processes, in start order; notes[0] is "the" app for single-replica tests. */
  notes: ServiceProcess[];
  /** Base URL of notes[0]. */
  url: string;
  /** The typed userauth client, with the stack's API key. */
  users: UserauthClient;
  /** USERAUTH_API_KEY as given to svc-notes (`name:key`). */
  apiKey: string;
  /** The Redis URL given to svc-notes, if any. */
  redisUrl: string | undefined;
  notesDb: TestDatabase;
  userauthDb: TestDatabase;
  /** Creates a local user through the userauth REST API; resolves with the username. */
  createUser: (username: string, password: string) => Promise<string>;
  /** Stops svc-userauth (SIGKILL with `kill`), leaving svc-notes without it (fault tests). */
  stopUserauth: (options?: { kill?: boolean }) => Promise<void>;
  /** Starts svc-userauth again on the same port and database; `userauth` is then the new process. */
  startUserauth: () => Promise<void>;
  /** Everything the processes wrote, labelled, for failure reports. */
  output: () => string;
  /** Stops every process, drops the databases, stops an own Redis. Safe to call twice. */
  stop: () => Promise<void>;
}

/** Throws one clear line when the services have not been built (`pnpm build`). */
export function assertServicesBuilt(): void {
  for (const entry of [USERAUTH_ENTRY, NOTES_ENTRY]) {
    if (!existsSync(resolve(REPO_ROOT, entry))) {
      throw new Error(`${entry} is missing: run "pnpm build" at the repository root first`);
    }
  }
}

/**
 * Starts the whole app as real processes: svc-userauth on a fresh MariaDB database, then one or
 * more svc-notes processes on another fresh database sharing one Redis, all migrated at start.
 */
export async function startAppStack(options: AppStackOptions = {}): Promise<AppStack> {
  assertServicesBuilt();
  const name = (options.name ?? 'stack').replace(/[^a-z0-9_]/gi, '_');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    const tasks = cleanups.splice(0).reverse();
    for (const task of tasks) {
      try {
        await task();
      } catch {
        /* best effort */
      }
    }
  };
  const processes: { label: string; proc: ServiceProcess }[] = [];
  try {
    const [userauthDb, notesDb] = await Promise.all([
      createTestDatabase(`${name}_ua`),
      createTestDatabase(`${name}_notes`, options.notesMysqlAdminUrl),
    ]);
    cleanups.push(userauthDb.drop, notesDb.drop);

    let stackRedisUrl: string | undefined;
    const redisMode = options.redisUrl ? 'given' : (options.redis ?? 'run');
    if (redisMode === 'given') stackRedisUrl = options.redisUrl;
    else if (redisMode === 'run') stackRedisUrl = redisUrl();
    else if (redisMode === 'own') {
      const own: Throwaway = await startRedis();
      cleanups.push(own.stop);
      stackRedisUrl = own.url;
    }

    const apiKey = `notes:${randomBytes(18).toString('hex')}`;
    const [userauthPort, firstNotesPort] = await Promise.all([freePort(), options.notesPort ?? freePort()]);
    const userauthUrl = `http://127.0.0.1:${userauthPort}`;
    const notesEnv: Record<string, string> = {
      NODE_ENV: 'production',
      NOTES_DB_URL: notesDb.url,
      NOTES_SESSION_SECRET: randomBytes(32).toString('hex'),
      USERAUTH_URL: userauthUrl,
      USERAUTH_API_KEY: apiKey,
      NOTES_MIGRATE_ON_START: 'true',
      ...(stackRedisUrl ? { NOTES_REDIS_URL: stackRedisUrl } : {}),
      ...options.notesEnv,
    };
    const track = (label: string, proc: ServiceProcess) => {
      processes.push({ label, proc });
      cleanups.push(() => proc.stop());
      return proc;
    };
    // userauth and the first notes replica start together (notes is ready only once userauth
    // answers); that replica runs the migrations alone, the others start together afterwards.
    const userauthEnv: Record<string, string> = {
      NODE_ENV: 'production',
      USERAUTH_DB_URL: userauthDb.url,
      USERAUTH_API_KEYS: apiKey,
      USERAUTH_BCRYPT_COST: '4',
      USERAUTH_MFA_KEY: randomBytes(32).toString('hex'),
      USERAUTH_MIGRATE_ON_START: 'true',
      ...options.userauthEnv,
    };
    const startUserauthProcess = () =>
      startServiceProcess({ script: USERAUTH_ENTRY, port: userauthPort, timeoutMs, env: userauthEnv });
    const [userauthStart, firstStart] = await Promise.allSettled([
      startUserauthProcess(),
      startServiceProcess({ script: NOTES_ENTRY, port: firstNotesPort, timeoutMs, env: notesEnv }),
    ]);
    if (userauthStart.status === 'fulfilled') track('userauth', userauthStart.value);
    if (firstStart.status === 'fulfilled') track('notes#0', firstStart.value);
    if (userauthStart.status === 'rejected') throw userauthStart.reason;
    if (firstStart.status === 'rejected') throw firstStart.reason;
    const userauth = userauthStart.value;
    const notes: ServiceProcess[] = [firstStart.value];
    const replicas = Math.max(1, options.notesReplicas ?? 1);
    const more = await Promise.allSettled(
      Array.from({ length: replicas - 1 }, async () =>
        startServiceProcess({ script: NOTES_ENTRY, port: await freePort(), timeoutMs, env: notesEnv }),
      ),
    );
    more.forEach((r, i) => {
      if (r.status === 'fulfilled') notes.push(track(`notes#${i + 1}`, r.value));
    });
    const failed = more.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;

    const users = new UserauthClient({ url: userauth.url, apiKey });
    let stopped = false;
    const stack: AppStack = {
      userauth,
      notes,
      url: notes[0]!.url,
      users,
      apiKey,
      redisUrl: stackRedisUrl,
      notesDb,
      userauthDb,
      createUser: async (username, password) => {
        await users.createUser({ username, password });
        return username;
      },
      stopUserauth: async (opts = {}) => {
        if (opts.kill) stack.userauth.child.kill('SIGKILL');
        await stack.userauth.stop();
      },
      startUserauth: async () => {
        stack.userauth = track('userauth (again)', await startUserauthProcess());
      },
      output: () => processes.map((p) => `----- ${p.label}\n${p.proc.output()}`).join('\n'),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await cleanup();
      },
    };
    return stack;
  } catch (err) {
    await cleanup();
    throw err;
  }
}
