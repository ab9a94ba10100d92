import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { closeHttpServer, createLogger, migrateUp, openDatabase } from '@notes/kit';
import { createTestDatabase } from '@notes/testkit/vitest';
import type { Sequelize } from 'sequelize';
import type { ApiKey } from '../config.js';
import { migrations } from '../db/migrations.js';
import { createServer, listen } from '../http/server.js';
import { createIdentities } from '../identities/index.js';
import { createMfa } from '../mfa/index.js';
import { createUsers } from '../users/index.js';

export type Dialect = 'sqlite' | 'mysql';

export const TEST_KEYS: ApiKey[] = [
  { name: 'notes', key: 'notes-test-key-0123456789' },
  { name: 'admin', key: 'admin-test-key-9876543210' },
];
export const AUTH = `Basic ${Buffer.from('notes:notes-test-key-0123456789').toString('base64')}`;

export interface Answer {
  status: number;
  text: string;
  body: unknown;
}

export interface TestService {
  url: string;
  db: Sequelize;
  /** The second-factor clock (ms since the epoch): tests move it by whole time steps. */
  clock: { now: number };
  /** Every response text so far (to prove no hash ever left the service). */
  responses: string[];
  /** Everything logged so far (trace level). */
  logs: () => string;
  call: (
    method: string,
    path: string,
    body?: unknown,
    init?: { auth?: string | null; raw?: string; type?: string },
  ) => Promise<Answer>;
  close: () => Promise<void>;
}

/** The real server in-process on port 0, on a fresh MariaDB database or SQLite file, logging to memory. */
export async function startTestService(
  dialect: Dialect,
  bcryptCost = 4,
  options: { mfaKey?: string } = {},
): Promise<TestService> {
  const clock = { now: Date.now() };
  const cleanup: Array<() => Promise<void> | void> = [];
  let url: string;
  if (dialect === 'mysql') {
    const tdb = await createTestDatabase('userauth');
    cleanup.push(tdb.drop);
    url = tdb.url;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'userauth-test-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    url = `sqlite:${join(dir, 'userauth.sqlite')}`;
  }
  const db = openDatabase({ url });
  await migrateUp(db, migrations);
  let logged = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logged += chunk;
      done();
    },
  });
  const logger = createLogger('userauth', 'trace', sink);
  const users = createUsers(db, bcryptCost);
  const identities = createIdentities(db, users);
  const mfa = createMfa(db, users, options.mfaKey ?? 'test-mfa-key-0123456789abcdef0123456789', {
    now: () => clock.now,
  });
  const server = createServer({ db, users, identities, mfa, apiKeys: TEST_KEYS, logger });
  const port = await listen(server, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const responses: string[] = [];
  return {
    url: base,
    db,
    clock,
    responses,
    logs: () => logged,
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = {};
      const auth = init.auth === undefined ? AUTH : init.auth;
      if (auth !== null) headers.authorization = auth;
      const payload = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
      if (payload !== undefined) headers['content-type'] = init.type ?? 'application/json';
      const res = await fetch(base + path, { method, headers, body: payload });
      const text = await res.text();
      responses.push(text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, text, body: parsed };
    },
    async close() {
      await closeHttpServer(server.server, 2000);
      await db.close();
      for (const c of cleanup.reverse()) await c();
    },
  };
}
