import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@notes/kit';
import { createTestDatabase, redisUrl } from '@notes/testkit/vitest';
import { type NotesConfig, readConfig } from '../config.js';
import { type NotesServer, startNotesServer } from '../server.js';

export interface TestNotes extends NotesServer {
  config: NotesConfig;
  /** Every log line the server wrote (JSON). */
  logs: () => string;
  /** SQL statements run since the last reset (when counting was asked for). */
  queries: string[];
}

/**
 * The home page's tag cloud query (tags/tag-repository.ts): counted in the background and kept per
 * visitor, so tests that count a page's list queries leave it out.
 */
export const isTagCloudQuery = (sql: string): boolean => sql.includes('FROM note_tags WHERE noteId IN');

/** The SQL statements of `queries` that are not the tag cloud's. */
export const withoutTagCloud = (queries: readonly string[]): string[] =>
  queries.filter((q) => !isTagCloudQuery(q));

/**
 * svc-notes in this process on port 0, built exactly as main.ts builds it (startNotesServer),
 * with the given environment on top of test defaults.
 */
export async function startTestNotes(env: Record<string, string | undefined>): Promise<TestNotes> {
  const config = readConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NOTES_SESSION_SECRET: randomBytes(32).toString('hex'),
    NOTES_REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'info',
    ...env,
  });
  let logs = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  const logger = createLogger('notes', config.LOG_LEVEL, sink);
  const queries: string[] = [];
  const server = await startNotesServer(config, logger, { dbLogging: (sql) => queries.push(sql) });
  return { ...server, config, logs: () => logs, queries };
}

/**
 * svc-notes in this process in production shape: a fresh MariaDB database (dropped by close),
 * the run's Redis, migrations at start, and the given svc-userauth; `env` on top (a variable
 * set to undefined is unset, e.g. NOTES_REDIS_URL for sessions in the database).
 */
export async function startTestNotesOnMariadb(
  name: string,
  userauth: { url: string; apiKey: string },
  env: Record<string, string | undefined> = {},
): Promise<TestNotes> {
  const db = await createTestDatabase(name);
  try {
    const notes = await startTestNotes({
      NOTES_DB_URL: db.url,
      NOTES_REDIS_URL: redisUrl(),
      NOTES_MIGRATE_ON_START: 'true',
      USERAUTH_URL: userauth.url,
      USERAUTH_API_KEY: userauth.apiKey,
      ...env,
    });
    return {
      ...notes,
      close: async () => {
        await notes.close();
        await db.drop();
      },
    };
  } catch (err) {
    await db.drop();
    throw err;
  }
}
