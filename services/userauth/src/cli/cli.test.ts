import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, which } from '@notes/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserauthClient } from '../client/index.js';
import { API_KEY, CLI, type Run, type RunningService, runNode, startUserauth } from '../testing/processes.js';

/**
 * The real built CLI, as a child process, against the real service as a process. Tests use their
 * own users and run concurrently (each CLI run is a Node start).
 */
describe.concurrent('userauth CLI', () => {
  let svc: RunningService;
  let cwd: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runNode(CLI, args, env, cwd);
  const oneLine = (r: Run) => {
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^userauth: /);
  };

  beforeAll(async () => {
    svc = await startUserauth();
    cwd = mkdtempSync(join(tmpdir(), 'userauth-cli-'));
    env = { USERAUTH_URL: svc.url, USERAUTH_API_KEY: API_KEY };
    const api = new UserauthClient({ url: svc.url, apiKey: API_KEY });
    await api.createUser({
      username: 'alice',
      password: 'alice-password',
      givenName: 'Alice',
      familyName: 'Liddell',
      emails: ['a@example.org', 'b@example.org'],
    });
    await api.createUser({ username: 'bob', password: 'bob-password', middleName: 'Q' });
    await api.createUser({ username: 'gina', password: 'gina-password' });
    await api.createUser({ username: 'hank', password: 'hank-password' });
  });
  afterAll(async () => {
    if (!svc) return;
    // Whatever ran above, the service never logged a password or a hash.
    expect(svc.output()).toContain('"path":"/password-check"');
    expect(svc.output()).not.toMatch(
      /alice-password|gina-new-password|not-her-password|typed-secret-1|\$2[aby]\$/,
    );
    await svc.stop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('add creates a user (readable output)', async () => {
    const r = await cli(
      'add',
      'erin',
      '--password',
      'erin-password',
      '--given-name',
      'Erin',
      '--family-name',
      'Liddell',
      '--email',
      'e@example.org',
      '--email',
      'f@example.org',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created user erin');
    expect(r.stdout).toMatch(/name:\s+Erin Liddell/);
    expect(r.stdout).toMatch(/emails:\s+e@example.org, f@example.org/);
    expect(r.stdout).not.toContain('erin-password');
  });

  it('add --json prints the user as JSON', async () => {
    const r = await cli('add', 'frank', '--password', 'frank-password', '--middle-name', 'Q', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      id: 'frank',
      username: 'frank',
      provider: 'local',
      familyName: '',
      givenName: '',
      middleName: 'Q',
      emails: [],
      photos: [],
    });
  });

  it('add refuses a duplicate (exit 4), invalid input (exit 2) and a missing password without a terminal (exit 2)', async () => {
    const [dup, bad, short, noPw] = await Promise.all([
      cli('add', 'alice', '--password', 'whatever-1'),
      cli('add', "o'brien", '--password', 'whatever-1'),
      cli('add', 'carol', '--password', 'short'),
      cli('add', 'carol'),
    ]);
    expect(dup.code).toBe(4);
    oneLine(dup);
    expect(dup.stderr).toMatch(/conflict/);
    expect(bad.code).toBe(2);
    oneLine(bad);
    expect(bad.stderr).toMatch(/username/);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/password: must be at least 8/);
    expect(noPw.code).toBe(2);
    oneLine(noPw);
    expect(noPw.stderr).toMatch(/no password given.*--password/);
  });

  it('find shows one user; a missing one exits 3', async () => {
    const [r, j, missing] = await Promise.all([
      cli('find', 'alice'),
      cli('--json', 'find', 'alice'),
      cli('find', 'nobody'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/username:\s+alice/);
    expect(JSON.parse(j.stdout)).toMatchObject({ id: 'alice', givenName: 'Alice' });
    expect(missing.code).toBe(3);
    oneLine(missing);
  });

  it('list shows every user, readable and as JSON', async () => {
    const [r, j] = await Promise.all([cli('list'), cli('list', '--json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^USERNAME\s+PROVIDER\s+NAME/);
    expect(r.stdout).toMatch(/^alice\s+local\s+Alice Liddell\s+a@example.org$/m);
    expect(r.stdout).toMatch(/^gina\s+local$/m);
    expect(r.stdout).toMatch(/^\d+ user\(s\)$/m);
    const ids = (JSON.parse(j.stdout) as Array<{ id: string }>).map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining(['alice', 'bob', 'gina']));
    expect(ids).toEqual([...ids].sort());
  });

  it('update changes fields; nothing to change exits 2; unknown user exits 3', async () => {
    const r = await cli('update', 'bob', '--given-name', 'Robert', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ givenName: 'Robert', middleName: 'Q' });
    const [nothing, nobody] = await Promise.all([
      cli('update', 'bob'),
      cli('update', 'nobody', '--given-name', 'N'),
    ]);
    expect(nothing.code).toBe(2);
    expect(nobody.code).toBe(3);
  });

  it('password-check: right password exits 0, wrong exits 1', async () => {
    const [right, wrong, json, noTty] = await Promise.all([
      cli('password-check', 'alice', 'alice-password'),
      cli('password-check', 'alice', 'not-her-password'),
      cli('password-check', 'alice', '--password', 'alice-password', '--json'),
      cli('password-check', 'alice'),
    ]);
    expect(right.code).toBe(0);
    expect(right.stdout.trim()).toBe('password correct for alice');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^password incorrect for alice/);
    expect(JSON.parse(json.stdout)).toEqual({ check: true, username: 'alice' });
    expect(noTty.code).toBe(2);
    oneLine(noTty);
  });

  it('update --password changes the password', async () => {
    expect((await cli('update', 'gina', '--password', 'gina-new-password')).code).toBe(0);
    const [now, before] = await Promise.all([
      cli('password-check', 'gina', 'gina-new-password'),
      cli('password-check', 'gina', 'gina-password'),
    ]);
    expect(now.code).toBe(0);
    expect(before.code).toBe(1);
  });

  it('find-or-create returns the existing user or creates one; another provider exits 4', async () => {
    const [existing, created, clash] = await Promise.all([
      cli('find-or-create', 'alice', '--json'),
      cli('find-or-create', 'dave', '--provider', 'github'),
      cli('find-or-create', 'alice', '--provider', 'github'),
    ]);
    expect(existing.code).toBe(0);
    expect(JSON.parse(existing.stdout)).toMatchObject({ givenName: 'Alice' });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created user dave');
    expect(clash.code).toBe(4);
    oneLine(clash);
  });

  it('destroy deletes; again exits 3', async () => {
    const r = await cli('destroy', 'hank');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('destroyed user hank');
    const again = await cli('destroy', 'hank', '--json');
    expect(again.code).toBe(3);
    oneLine(again);
  });

  // `script` (util-linux) gives the CLI a real terminal, so the no-echo prompt itself is tested.
  it.skipIf(!which('script'))('prompts for the password on a terminal without echoing it', async () => {
    const command = `${process.execPath} ${CLI} add ptyuser --url ${svc.url} --api-key ${API_KEY}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (/(New|Repeat) password: $/.test(out)) child.stdin.write('typed-secret-1\r');
    });
    const code = await new Promise((r) => child.once('exit', r));
    expect(out).toMatch(/New password: \r?\nRepeat password: /);
    expect(out).toContain('created user ptyuser');
    expect(out).not.toContain('typed-secret-1');
    expect(code).toBe(0);
    expect((await cli('password-check', 'ptyuser', 'typed-secret-1')).code).toBe(0);
  });

  it('a wrong API key exits 5 with one line', async () => {
    const [r, flag] = await Promise.all([
      runNode(CLI, ['list'], { USERAUTH_URL: svc.url, USERAUTH_API_KEY: 'cli:wrong-key-wrong-key' }, cwd),
      runNode(CLI, ['list', '--url', svc.url, '--api-key', 'cli:also-wrong-key-xxxx'], {}, cwd),
    ]);
    expect(r.code).toBe(5);
    oneLine(r);
    expect(r.stderr).toMatch(/API key/);
    expect(flag.code).toBe(5);
  });

  it('an unreachable service exits 6 with one line', async () => {
    const port = await freePort();
    const r = await cli('--url', `http://127.0.0.1:${port}`, 'list');
    expect(r.code).toBe(6);
    oneLine(r);
    expect(r.stderr).toMatch(new RegExp(`unreachable at http://127.0.0.1:${port}`));
  });

  it('no key anywhere exits 2 saying how to give one', async () => {
    const r = await runNode(CLI, ['list'], { USERAUTH_URL: svc.url }, cwd);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toMatch(/no API key.*--api-key.*USERAUTH_API_KEY/);
  });

  it('reads the key from USERAUTH_API_KEY_FILE and from ./data/userauth-api-keys', async () => {
    const keyFile = join(cwd, 'key');
    writeFileSync(keyFile, `${API_KEY}\n`);
    const home = mkdtempSync(join(tmpdir(), 'userauth-cli-home-'));
    mkdirSync(join(home, 'data'));
    writeFileSync(join(home, 'data/userauth-api-keys'), `${API_KEY},other:another-key-0123456789\n`);
    const [fromFile, fromData] = await Promise.all([
      runNode(CLI, ['list'], { USERAUTH_URL: svc.url, USERAUTH_API_KEY_FILE: keyFile }, cwd),
      runNode(CLI, ['list', '--url', svc.url], {}, home),
    ]);
    expect(fromFile.code).toBe(0);
    expect(fromData.code).toBe(0);
    rmSync(home, { recursive: true, force: true });
  });

  it('usage errors exit 2; --help exits 0', async () => {
    const [unknown, missing, help] = await Promise.all([cli('frobnicate'), cli('add'), cli('--help')]);
    expect(unknown.code).toBe(2);
    expect(missing.code).toBe(2);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/password-check/);
    expect(help.stdout).toMatch(/Exit codes/);
  });
});
