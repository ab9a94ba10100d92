import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, which } from '@notes/testkit';
import { Secret, TOTP } from 'otpauth';
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
  let api: UserauthClient;
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
    api = new UserauthClient({ url: svc.url, apiKey: API_KEY });
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
    await api.createUser({
      username: 'ivy',
      password: 'ivy-password',
      emails: ['ivy@example.org', 'ivy2@example.org'],
    });
    for (const username of ['kim', 'lena', 'mona', 'nina', 'olga', 'pia', 'quinn', 'rita'])
      await api.createUser({ username, password: `${username}-password` });
    await api.createUser({ username: 'gh-user', provider: 'github' });
    await api.createUser({ username: 'sara', password: 'sara-password', emails: ['s@example.org'] });
  });

  /**
   * Runs the CLI on a real terminal: `script` (util-linux) gives it a pseudo-terminal, so prompts
   * and their echo are the real ones. Each answer is typed when its prompt has appeared since the
   * previous answer. Output is stdout and stderr as the terminal showed them.
   */
  const onTerminal = (args: string[], answers: Array<[RegExp, string]> = []) => {
    const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, CLI, ...args].map(quote).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let since = 0;
    let next = 0;
    let killed = false;
    child.stdout.on('data', (d) => {
      // What the terminal shows, without the cursor movements of readline's line editor.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences start with ESC
      out += String(d).replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
      const answer = answers[next];
      if (answer?.[0].test(out.slice(since))) {
        since = out.length;
        next += 1;
        child.stdin.write(`${answer[1]}\r`);
      }
    });
    // A prompt that never came: kill it, and report no exit code (script itself may exit 0).
    const stuck = setTimeout(() => {
      killed = true;
      child.kill();
    }, 20_000);
    return new Promise<{ code: number | null; out: string }>((done) =>
      child.once('exit', (code) => {
        clearTimeout(stuck);
        done({ code: killed ? null : code, out });
      }),
    );
  };
  // Checks of the outcome go straight to the service (one CLI start less each on a busy machine).
  const exists = async (username: string) => (await api.findOrNull(username)) !== null;
  const passwordIs = async (username: string, password: string) =>
    (await api.passwordCheck(username, password)).check;
  const hasScript = which('script');
  afterAll(async () => {
    if (!svc) return;
    // Whatever ran above, the service never logged a password or a hash.
    expect(svc.output()).toContain('"path":"/password-check"');
    expect(svc.output()).not.toMatch(
      /alice-password|gina-new-password|kim-new-password|not-her-password|typed-secret-1|\$2[aby]\$/,
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

  it('list shows aligned columns with every address; --json is the users as the API gives them', async () => {
    const [r, j] = await Promise.all([cli('list'), cli('list', '--json')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const header = lines[0] ?? '';
    expect(header).toMatch(/^USERNAME +PROVIDER +NAME +E-MAIL$/);
    const columns = [' PROVIDER', ' NAME', ' E-MAIL'].map((c) => header.indexOf(c) + 1);
    const alice = lines.find((l) => l.startsWith('alice ')) ?? '';
    expect(alice.slice(columns[0], columns[1]).trim()).toBe('local');
    expect(alice.slice(columns[1], columns[2]).trim()).toBe('Alice Liddell');
    expect(alice.slice(columns[2])).toBe('a@example.org, b@example.org');
    const gh = lines.find((l) => l.startsWith('gh-user ')) ?? '';
    expect(gh.slice(columns[0]).trim()).toBe('github');
    // Every row has its cells where the header has its titles.
    for (const line of lines.slice(1, -1)) {
      for (const at of columns) if (line.length > at) expect(line[at - 1]).toBe(' ');
      expect(line.slice(0, columns[0])).toMatch(/^\S+ +$/);
    }
    expect(lines.at(-1)).toMatch(/^\d+ user\(s\)$/);
    const users = JSON.parse(j.stdout) as Array<Record<string, unknown>>;
    const ids = users.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining(['alice', 'bob', 'gina']));
    expect(ids).toEqual([...ids].sort());
    expect(users.find((u) => u.id === 'alice')).toEqual({
      id: 'alice',
      username: 'alice',
      provider: 'local',
      familyName: 'Liddell',
      givenName: 'Alice',
      middleName: '',
      emails: ['a@example.org', 'b@example.org'],
      photos: [],
    });
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

  it('password-check: an unknown user exits 3 (not found), a user without a password exits 1 saying so', async () => {
    const [nobody, nobodyJson, gh] = await Promise.all([
      cli('password-check', 'nobody', 'x'),
      cli('password-check', 'nobody', '--password', 'x', '--json'),
      cli('password-check', 'gh-user', 'whatever-password'),
    ]);
    expect(nobody.code).toBe(3);
    oneLine(nobody);
    expect(nobody.stderr).toBe('userauth: not found: no user nobody\n');
    expect(nobodyJson.code).toBe(3);
    oneLine(nobodyJson);
    expect(gh.code).toBe(1);
    expect(gh.stdout.trim()).toBe('password incorrect for gh-user: no password (provider github)');
  });

  it('update --add-email / --remove-email change the list; --email replaces it', async () => {
    const [r, both, absent, badAdd, replaced] = await Promise.all([
      cli(
        'update',
        'ivy',
        '--add-email',
        'ivy3@example.org',
        '--add-email',
        'ivy4@example.org',
        '--remove-email',
        'IVY@example.org',
        '--json',
      ),
      cli('update', 'ivy', '--email', 'x@example.org', '--add-email', 'y@example.org'),
      cli('update', 'ivy', '--remove-email', 'absent@example.org'),
      cli('update', 'ivy', '--add-email', 'ivy5@example.org', '--add-email', 'not-mail'),
      cli('update', 'sara', '--email', 'only@example.org', '--json'),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).emails).toEqual(['ivy2@example.org', 'ivy3@example.org', 'ivy4@example.org']);
    expect(both.code).toBe(2);
    oneLine(both);
    expect(both.stderr).toMatch(/--email replaces every address/);
    expect(absent.code).toBe(2);
    oneLine(absent);
    expect(absent.stderr).toBe(
      'userauth: invalid input: --remove-email: not an address of this user: absent@example.org\n',
    );
    expect(badAdd.code).toBe(2);
    expect(badAdd.stderr).toMatch(/--add-email "not-mail": must be an e-mail address/);
    expect(JSON.parse(replaced.stdout).emails).toEqual(['only@example.org']);
    expect((await api.find('ivy')).emails).toEqual([
      'ivy2@example.org',
      'ivy3@example.org',
      'ivy4@example.org',
    ]);
  });

  it('input errors name the options typed, not the API fields', async () => {
    const [email, given, family, short] = await Promise.all([
      cli('add', 'jack', '--password', 'jack-password', '--email', 'j@example.org', '--email', 'not-mail'),
      cli('update', 'bob', '--given-name', 'x'.repeat(101)),
      cli('update', 'bob', '--family-name', 'a\u0001b'),
      cli('update', 'bob', '--password', 'short'),
    ]);
    for (const r of [email, given, family, short]) {
      expect(r.code).toBe(2);
      oneLine(r);
      expect(r.stderr).not.toMatch(/emails\.|givenName|familyName/);
    }
    expect(email.stderr).toBe('userauth: invalid input: --email "not-mail": must be an e-mail address\n');
    expect(given.stderr).toMatch(/--given-name: must be at most 100 characters/);
    expect(family.stderr).toMatch(/--family-name: must not contain control characters/);
    expect(short.stderr).toMatch(/--password: must be at least 8 characters/);
    expect(await exists('jack')).toBe(false);
  });

  it('set-password sets the password (--password for scripts); an unknown user exits 3', async () => {
    const r = await cli('set-password', 'kim', '--password', 'kim-new-password');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('password set for kim');
    expect(await passwordIs('kim', 'kim-new-password')).toBe(true);
    expect(await passwordIs('kim', 'kim-password')).toBe(false);
    const [short, nobody, noTty] = await Promise.all([
      cli('set-password', 'kim', '--password', 'short'),
      cli('set-password', 'nobody', '--password', 'long-enough-1'),
      cli('set-password', 'kim'),
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/--password: must be at least 8 characters/);
    expect(nobody.code).toBe(3);
    oneLine(nobody);
    expect(noTty.code).toBe(2);
    oneLine(noTty);
    expect(noTty.stderr).toMatch(/no password given.*--password/);
  });

  it('destroy without a terminal refuses without --yes (exit 2) and destroys with it', async () => {
    const [refused, r] = await Promise.all([cli('destroy', 'mona'), cli('destroy', 'quinn', '--yes')]);
    expect(refused.code).toBe(2);
    oneLine(refused);
    expect(refused.stderr).toMatch(/not destroying mona without confirmation: pass --yes/);
    expect(await exists('mona')).toBe(true);
    expect(r.code).toBe(0);
    expect(await exists('quinn')).toBe(false);
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

  it('reset-mfa turns a second factor off; without one it says so; an unknown user exits 3', async () => {
    await api.createUser({ username: 'tess', password: 'tess-password' });
    const { secret } = await api.mfaEnrol('tess');
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    await api.mfaConfirm('tess', code);
    expect((await api.mfaStatus('tess')).enabled).toBe(true);
    const r = await cli('reset-mfa', 'tess');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('second factor of tess turned off: the next login asks for the password only\n');
    expect((await api.mfaStatus('tess')).enabled).toBe(false);
    const again = await cli('reset-mfa', 'tess', '--json');
    expect(JSON.parse(again.stdout)).toEqual({ username: 'tess', reset: false });
    const unknown = await cli('reset-mfa', 'nobody-here');
    expect(unknown.code).toBe(3);
    oneLine(unknown);
  });

  it('destroy --yes deletes; again exits 3', async () => {
    const r = await cli('destroy', 'hank', '--yes');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('destroyed user hank');
    const again = await cli('destroy', 'hank', '--yes', '--json');
    expect(again.code).toBe(3);
    oneLine(again);
  });

  it.skipIf(!hasScript)('prompts for the password on a terminal without echoing it', async () => {
    const r = await onTerminal(
      ['add', 'ptyuser'],
      [
        [/New password: $/, 'typed-secret-1'],
        [/Repeat password: $/, 'typed-secret-1'],
      ],
    );
    expect(r.out).toMatch(/New password: \r?\nRepeat password: /);
    expect(r.out).toContain('created user ptyuser');
    expect(r.out).not.toContain('typed-secret-1');
    expect(r.code).toBe(0);
    expect((await cli('password-check', 'ptyuser', 'typed-secret-1')).code).toBe(0);
  });

  it.skipIf(!hasScript)(
    'refuses a too-short password before asking for it again (add, set-password), other input before asking at all',
    async () => {
      const [add, set, badEmail] = await Promise.all([
        onTerminal(['add', 'shorty'], [[/New password: $/, 'short']]),
        onTerminal(['set-password', 'nina'], [[/New password: $/, 'short']]),
        onTerminal(['add', 'tess', '--email', 'not-mail']),
      ]);
      // The other input is checked before the first prompt.
      expect(badEmail.code).toBe(2);
      expect(badEmail.out).toMatch(
        /^userauth: invalid input: --email "not-mail": must be an e-mail address\r?\n$/,
      );
      for (const r of [add, set]) {
        expect(r.code).toBe(2);
        expect(r.out).toMatch(/New password: \r?\nuserauth: password: must be at least 8 characters\r?\n$/);
        expect(r.out).not.toMatch(/Repeat password/);
        expect(r.out).not.toContain('short\r');
      }
      expect(await exists('shorty')).toBe(false);
      expect(await passwordIs('nina', 'nina-password')).toBe(true);
    },
  );

  it.skipIf(!hasScript)(
    'set-password prompts twice without echo; an unknown user exits 3 before asking',
    async () => {
      const [r, nobody, mismatch] = await Promise.all([
        onTerminal(
          ['set-password', 'olga'],
          [
            [/New password: $/, 'typed-secret-1'],
            [/Repeat password: $/, 'typed-secret-1'],
          ],
        ),
        onTerminal(['set-password', 'nobody']),
        onTerminal(
          ['set-password', 'pia'],
          [
            [/New password: $/, 'typed-secret-1'],
            [/Repeat password: $/, 'typed-secret-2'],
          ],
        ),
      ]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('password set for olga');
      expect(r.out).not.toContain('typed-secret-1');
      expect(await passwordIs('olga', 'typed-secret-1')).toBe(true);
      expect(nobody.code).toBe(3);
      expect(nobody.out).not.toMatch(/password:/i);
      expect(mismatch.code).toBe(2);
      expect(mismatch.out).toMatch(/the passwords do not match/);
      expect(await passwordIs('pia', 'pia-password')).toBe(true);
    },
  );

  it.skipIf(!hasScript)(
    'destroy on a terminal asks for the username; anything else destroys nothing',
    async () => {
      const question = /Type the username to confirm: $/;
      const [wrong, right, nobody] = await Promise.all([
        onTerminal(['destroy', 'lena'], [[question, 'y']]),
        onTerminal(['destroy', 'rita'], [[question, 'rita']]),
        onTerminal(['destroy', 'nobody']),
      ]);
      expect(wrong.code).toBe(2);
      expect(wrong.out).toMatch(/username: +lena/); // shows whom it is about to destroy
      expect(wrong.out).toMatch(/not confirmed: lena was not destroyed/);
      expect(await exists('lena')).toBe(true);
      expect(right.code).toBe(0);
      expect(right.out).toContain('destroyed user rita');
      expect(await exists('rita')).toBe(false);
      expect(nobody.code).toBe(3);
      expect(nobody.out).not.toMatch(/confirm/);
    },
  );

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
    const [unknown, missing, help, update] = await Promise.all([
      cli('frobnicate'),
      cli('add'),
      cli('--help'),
      cli('update', '--help'),
    ]);
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/--email <address> +e-mail address \(repeatable\); replaces ALL/);
    expect(update.stdout).toMatch(/--add-email <address>/);
    expect(update.stdout).toMatch(/--remove-email <address>/);
    expect(unknown.code).toBe(2);
    expect(missing.code).toBe(2);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/password-check/);
    expect(help.stdout).toMatch(/Exit codes/);
  });
});
