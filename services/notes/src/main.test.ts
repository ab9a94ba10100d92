import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, REPO_ROOT, startServiceProcess } from '@notes/testkit';
import { createTestDatabase } from '@notes/testkit/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from './db/migrations.js';

const MAIN = 'services/notes/dist/main.js';
const MIGRATE = 'services/notes/dist/migrate.js';
const dir = mkdtempSync(join(tmpdir(), 'notes-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = {
  NOTES_SESSION_SECRET: 'x'.repeat(40),
  USERAUTH_API_KEY: 'notes:some-key-1234567890',
  USERAUTH_URL: 'http://127.0.0.1:9',
};

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(REPO_ROOT, script)], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => done({ code, out }));
  });
}

describe('main.ts and migrate.ts as processes', () => {
  it('refuses a bad configuration with one line per problem', async () => {
    const { code, out } = await run(MAIN, {
      PORT: 'abc',
      NOTES_SESSION_SECRET: 'short',
      NOTES_DB_URL: 'postgres://x',
    });
    expect(code).toBe(2);
    const lines = out.trim().split('\n');
    expect(lines).toContain('notes: config: PORT: must be a port number');
    expect(lines).toContain('notes: config: NOTES_SESSION_SECRET: must be at least 32 characters');
    expect(lines).toContain('notes: config: NOTES_DB_URL: must start with sqlite: or mysql://');
    expect(lines).toContain('notes: config: USERAUTH_API_KEY: is required');
    expect(out).not.toContain('short');
  });

  it('requires a session secret in the embedded mode too', async () => {
    const { code, out } = await run(MAIN, { USERAUTH_API_KEY: BASE.USERAUTH_API_KEY });
    expect(code).toBe(2);
    expect(out.trim()).toBe('notes: config: NOTES_SESSION_SECRET: is required');
  });

  it('with NOTES_MIGRATE_ON_START off, refuses to start on pending migrations; migrate.ts applies them', async () => {
    const db = await createTestDatabase('notes_main');
    try {
      const env = { ...BASE, NOTES_DB_URL: db.url, PORT: String(await freePort()) };
      const refused = await run(MAIN, env);
      expect(refused.code).toBe(1);
      // Every migration is pending, listed in order (features add theirs: the list is the module's).
      expect(migrations.map((m) => m.name).slice(0, 7)).toEqual([
        '001-notes',
        '002-comments',
        '003-sessions',
        '004-limit-counters',
        '010-note-visibility',
        '011-note-grants',
        '012-note-links',
      ]);
      expect(refused.out.trim()).toBe(
        `notes: the notes database needs migrations (${migrations.map((m) => m.name).join(', ')}): run the migrate command or set NOTES_MIGRATE_ON_START=true`,
      );
      const migrated = await run(MIGRATE, { NOTES_DB_URL: db.url, LOG_LEVEL: 'warn' });
      expect(migrated.code).toBe(0);
      expect(migrated.out).toContain(
        'applied: 001-notes, 002-comments, 003-sessions, 004-limit-counters, 010-note-visibility, 011-note-grants, 012-note-links',
      );
      expect((await run(MIGRATE, { NOTES_DB_URL: db.url, LOG_LEVEL: 'warn' })).out).toContain(
        'nothing to migrate',
      );

      // Now it starts (SQL never logged), and SIGTERM stops it cleanly with exit code 0.
      const port = await freePort();
      const proc = await startServiceProcess({
        script: MAIN,
        port,
        env: { ...env, PORT: String(port) },
        readyPath: '/healthz',
      });
      const ready = await fetch(`${proc.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'unavailable',
        checks: { database: 'ok', userauth: 'down' },
        failing: ['userauth'],
      });
      expect(await proc.stop()).toBe(0);
      expect(proc.output()).toContain('"msg":"stopped"');
      expect(proc.output()).not.toMatch(/SELECT|INSERT/);
    } finally {
      await db.drop();
    }
  });
});
