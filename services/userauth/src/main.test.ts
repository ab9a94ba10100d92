import { resolve } from 'node:path';
import { freePort, REPO_ROOT, startServiceProcess } from '@notes/testkit';
import { createTestDatabase, type TestDatabase } from '@notes/testkit/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { API_KEY, assertBuilt, MAIN, PACKAGE_DIR, runNode, startUserauth } from './testing/processes.js';

const auth = `Basic ${Buffer.from(API_KEY).toString('base64')}`;
/** bcrypt of 'slow-password' at cost 13. */
const SLOW_HASH = '$2b$13$Cksr5rprJTeAPmjCTqAPlOCKKr01jr715K1XS5iGrG9M4ruV/Ail2';
const json = { authorization: auth, 'content-type': 'application/json' };

describe('userauth process', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it('finishes an in-flight request on SIGTERM, then exits 0 within 10 s', async () => {
    // A check against a cost-13 hash takes about a second: long enough to be in flight at SIGTERM.
    // The hash is imported pre-computed (stored as is), so only the check pays the cost.
    const svc = await startUserauth();
    try {
      const created = await fetch(`${svc.url}/create-user`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'slow', password: SLOW_HASH }),
      });
      expect(created.status).toBe(201);
      const started = Date.now();
      const inFlight = fetch(`${svc.url}/password-check`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'slow', password: 'slow-password' }),
      }).then(async (r) => ({ status: r.status, body: await r.json(), at: Date.now() }));
      await new Promise((r) => setTimeout(r, 150));
      const exited = new Promise<{ code: number | null; at: number }>((r) =>
        svc.child.once('exit', (code) => r({ code, at: Date.now() })),
      );
      const signalled = Date.now();
      svc.child.kill('SIGTERM');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ check: true, username: 'slow' });
      expect(answer.at).toBeGreaterThan(signalled); // it really was in flight when the signal came
      // new connections are refused while shutting down or after
      await expect(fetch(`${svc.url}/healthz`)).rejects.toThrow();
      const { code, at } = await exited;
      expect(code).toBe(0);
      expect(at - signalled).toBeLessThan(10_000);
      expect(svc.output()).toMatch(/"msg":"stopped"/);
      expect(at - started).toBeGreaterThan(0);
    } finally {
      await svc.stop();
    }
  });

  it('refuses a bad configuration with one line per problem and a non-zero exit', async () => {
    assertBuilt();
    const r = await runNode(
      resolve(REPO_ROOT, MAIN),
      [],
      {
        PORT: 'abc',
        USERAUTH_DB_URL: 'postgres://x/y',
        USERAUTH_API_KEYS: 'notes-without-key,ok:short',
        USERAUTH_BCRYPT_COST: '99',
        USERAUTH_MIGRATE_ON_START: 'maybe',
      },
      PACKAGE_DIR,
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^userauth: config: [A-Z_]+: /);
    expect(r.stderr).toMatch(/^userauth: config: PORT: /m);
    expect(r.stderr).toMatch(/^userauth: config: USERAUTH_DB_URL: must start with sqlite: or mysql:\/\/$/m);
    expect(r.stderr).toMatch(
      /^userauth: config: USERAUTH_API_KEYS: entry 1 must be name:key.*; the key of "ok" must be at least 16/m,
    );
    expect(r.stderr).toMatch(/^userauth: config: USERAUTH_BCRYPT_COST: must be at most 15$/m);
    expect(r.stderr).toMatch(/^userauth: config: USERAUTH_MIGRATE_ON_START: must be true or false$/m);
    expect(r.stderr).not.toContain('short');
  });

  it('requires the API keys', async () => {
    const r = await runNode(resolve(REPO_ROOT, MAIN), [], {}, PACKAGE_DIR);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('userauth: config: USERAUTH_API_KEYS: is required');
  });

  it('on MySQL refuses to start with pending migrations; the migrate command applies them', async () => {
    assertBuilt();
    const db = await createTestDatabase('userauth_main');
    dbs.push(db);
    const env = { USERAUTH_DB_URL: db.url, USERAUTH_API_KEYS: API_KEY, USERAUTH_BCRYPT_COST: '4' };
    const refused = await runNode(resolve(REPO_ROOT, MAIN), [], env, PACKAGE_DIR);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^userauth: 3 database migration\(s\) pending on mysql:\/\/127\.0\.0\.1:\d+\/userauth_main_\w+: run the migrate command/,
    );

    const migrated = await runNode(
      resolve(PACKAGE_DIR, 'dist/migrate.js'),
      [],
      { ...env, LOG_LEVEL: 'warn' },
      PACKAGE_DIR,
    );
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/3 migration\(s\) applied .*001-users, 050-identities, 051-mfa/);
    const again = await runNode(
      resolve(PACKAGE_DIR, 'dist/migrate.js'),
      [],
      { ...env, LOG_LEVEL: 'warn' },
      PACKAGE_DIR,
    );
    expect(again.stdout).toMatch(/0 migration\(s\) applied/);

    const svc = await startServiceProcess({ script: MAIN, env, port: await freePort() });
    try {
      const res = await fetch(`${svc.url}/list`, { headers: { authorization: auth } });
      expect(await res.json()).toEqual([]);
    } finally {
      expect(await svc.stop()).toBe(0);
    }
  });

  it('says in one line when the database is unreachable', async () => {
    const port = await freePort();
    const r = await runNode(
      resolve(REPO_ROOT, MAIN),
      [],
      {
        USERAUTH_DB_URL: `mysql://root@127.0.0.1:${port}/x`,
        USERAUTH_API_KEYS: API_KEY,
        USERAUTH_DB_WAIT_SECONDS: '0',
      },
      PACKAGE_DIR,
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`userauth: database unreachable: mysql://127.0.0.1:${port}/x`);
  });
});
