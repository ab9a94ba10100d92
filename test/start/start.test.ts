/**
 * `pnpm start` as a person runs it (scripts/start.mjs through pnpm, real services, SQLite), with
 * its own data folder (NOTES_DATA_DIR) and free ports: the ready line names the URL actually used,
 * the printed add-user command works as printed (on a pseudo-terminal, answering the password
 * prompts), a second start and a busy port are one line each, Ctrl-C ends it cleanly with 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@notes/notes/testing';
import { freePort, REPO_ROOT, which } from '@notes/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a command in the repository root with its own process group (as a terminal's job). */
function run(command: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Resolves with the output once it matches, rejects when the process ends first or time runs out. */
async function waitForOutput(r: Run, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void r.exited.then(() => {
    ended = true;
  });
  for (;;) {
    const match = pattern.exec(r.output());
    if (match) return match;
    if (ended) throw new Error(`ended before printing ${pattern}:\n${r.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${r.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether host:port can be listened on now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
const STACK_FRAME = /^\s+at /m;
const PASSWORD = 'first-user-password-1';

let dataDir: string;
let otherDataDir: string;
let env: Record<string, string>;
let started: Run;
let readyUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'notes-start-'));
  otherDataDir = mkdtempSync(join(tmpdir(), 'notes-start-other-'));
  const [port, userauthPort] = [await freePort(), await freePort()];
  env = {
    PORT: String(port),
    USERAUTH_PORT: String(userauthPort),
    NOTES_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
  };
  started = run('pnpm', ['start'], env);
  readyUrl = (await waitForOutput(started, /\[start\] Notes is running at (\S+)/))[1]!;
});

afterAll(async () => {
  if (started && started.child.exitCode === null && started.child.signalCode === null) {
    process.kill(-started.child.pid!, 'SIGTERM');
    await started.exited;
  }
  for (const dir of [dataDir, otherDataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pnpm start', { timeout: 120_000 }, () => {
  it('says it is running only once both services answer, at the URL it uses, logging JSON to a pipe', async () => {
    expect(readyUrl).toBe(`http://127.0.0.1:${env.PORT}`);
    const res = await fetch(`${readyUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    const serviceLines = lines(started.output()).filter(
      (l) => !l.startsWith('[start]') && !l.startsWith('>'),
    );
    expect(serviceLines.length).toBeGreaterThan(0);
    for (const line of serviceLines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(started.output()).toContain(`"url":"http://127.0.0.1:${env.USERAUTH_PORT}"`);
  });

  it('serves a favicon, linked from the pages, so no 404 is logged for it', async () => {
    const page = await (await fetch(`${readyUrl}/`)).text();
    expect(page).toMatch(/<link rel="icon" href="\/static\/favicon.svg"/);
    for (const path of ['/favicon.ico', '/static/favicon.svg']) {
      const res = await fetch(readyUrl + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^image\/svg\+xml/);
      expect(await res.text()).toContain('<svg');
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // the request log line follows the response
    const favicon = lines(started.output()).filter((l) => l.includes('favicon'));
    expect(favicon.length).toBeGreaterThan(0);
    for (const line of favicon) expect(JSON.parse(line).level, line).toBeLessThan(40);
  });

  it('prints the add-user command for these ports and this folder, which works as printed', async () => {
    const command = (await waitForOutput(started, /\[start\] {3}(.*pnpm userauth add <username>.*)$/m))[1]!;
    expect(command).toContain(`--url http://127.0.0.1:${env.USERAUTH_PORT}`);
    expect(command).toContain(`USERAUTH_API_KEY_FILE=${join(dataDir, 'userauth-api-keys')}`);
    expect(command).not.toContain('--password');

    // The CLI asks for the password on a terminal: run the command on a pseudo-terminal (script(1))
    // and answer the two prompts as a person would.
    const script = which('script');
    expect(script, 'script(1) from util-linux is needed to give the CLI a terminal').toBeDefined();
    const cli = run(script!, ['-qec', command.replace('<username>', 'alice'), '/dev/null'], {
      SHELL: '/bin/sh',
    });
    await waitForOutput(cli, /New password: /, 60_000);
    cli.child.stdin!.write(`${PASSWORD}\r`);
    await waitForOutput(cli, /Repeat password: /, 30_000);
    cli.child.stdin!.write(`${PASSWORD}\r`);
    const { code } = await cli.exited;
    expect(code, cli.output()).toBe(0);
    expect(cli.output()).not.toContain(PASSWORD); // the prompt does not echo

    const browser = new WebClient(readyUrl);
    const login = await browser.login('alice', PASSWORD);
    expect(login.res.status).toBe(302);
  });

  it('refuses a second start from the same folder with one line and a non-zero exit', async () => {
    const second = run(process.execPath, ['scripts/start.mjs'], env);
    const { code } = await second.exited;
    expect(code).toBe(1);
    const out = lines(second.output());
    expect(out, second.output()).toHaveLength(1);
    expect(out[0]).toMatch(
      /^\[start\] Notes is already running from .* \(pid \d+, http:\/\/127\.0\.0\.1:\d+\)/,
    );
    expect(await (await fetch(`${readyUrl}/readyz`)).json()).toMatchObject({ status: 'ok' }); // still up
  });

  it('names a busy port in one line, before starting anything', async () => {
    const other = { ...env, NOTES_DATA_DIR: otherDataDir, USERAUTH_PORT: String(await freePort()) };
    const busy = run(process.execPath, ['scripts/start.mjs'], other);
    const { code } = await busy.exited;
    expect(code).toBe(1);
    const out = lines(busy.output());
    expect(out, busy.output()).toEqual([
      `[start] port ${env.PORT} is in use (another Notes may be running): set PORT to a free port`,
    ]);
    expect(await portIsFree(Number(other.USERAUTH_PORT))).toBe(true);
  });

  it('a service given a busy port says so in one line too (no stack)', async () => {
    const userauth = run(process.execPath, ['services/userauth/dist/main.js'], {
      PORT: env.USERAUTH_PORT!,
      HOST: '127.0.0.1',
      USERAUTH_DB_URL: `sqlite:${join(otherDataDir, 'busy-port.sqlite')}`,
      USERAUTH_API_KEYS: 'test:0123456789abcdef0123456789abcdef',
    });
    const { code } = await userauth.exited;
    expect(code).toBe(1);
    const problems = lines(userauth.output()).filter((l) => !l.startsWith('{'));
    expect(problems, userauth.output()).toEqual([
      `userauth: cannot start: port ${env.USERAUTH_PORT} on 127.0.0.1 is in use (another instance may be running): set PORT to a free port`,
    ]);
  });

  it('stops both services on Ctrl-C and exits 0, without a stack or an ELIFECYCLE line', async () => {
    process.kill(-started.child.pid!, 'SIGINT'); // the whole group, as a terminal's Ctrl-C does
    const { code, signal } = await started.exited;
    const out = started.output();
    expect({ code, signal }, out).toEqual({ code: 0, signal: null });
    expect(out).toContain('[start] stopped');
    expect(out).not.toContain('ELIFECYCLE');
    expect(out).not.toMatch(STACK_FRAME);
    expect(existsSync(join(dataDir, 'start.lock'))).toBe(false);
    expect(await portIsFree(Number(env.PORT))).toBe(true);
    expect(await portIsFree(Number(env.USERAUTH_PORT))).toBe(true);
  });
});
