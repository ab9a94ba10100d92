import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSocket, nextEvent } from '@notes/notes/testing';
import { REPO_ROOT as ROOT } from '@notes/testkit';
import { dockerEnv, engineReachable, must, requirement, run } from '@notes/testkit/docker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESIGN_CONTAINERS as CONTAINERS, mayConnect } from '../design/networks.js';
import { Browser } from './web.js';

/**
 * compose-local, for real: the images are built and the stack runs on a Docker-compatible engine
 * (the stand-in tool in CI), driven through the operator scripts an operator would use.
 * Everything is proved by trying it: logins over the published port, TCP connections from inside
 * each container, data surviving down/up and backup/wipe/restore, two replicas sharing state.
 */

const req = requirement(engineReachable(), 'a Docker-compatible engine');

const SERVICE_PORT: Record<string, number> = {
  'svc-notes': 3000,
  'db-notes': 3306,
  redis: 6379,
  'svc-userauth': 5858,
  'db-userauth': 3306,
};

const PROJECT = `notesstack${process.pid}`;
const work = join(tmpdir(), `notes-stack-${process.pid}-${Date.now()}`);
const secretsDir = join(work, 'secrets');
const envFile = join(work, 'stack.env');
const backupsDir = join(work, 'backups');
const report: Record<string, unknown> = { project: PROJECT };

const env: NodeJS.ProcessEnv = {
  ...dockerEnv(),
  NOTES_COMPOSE_PROJECT: PROJECT,
  NOTES_SECRETS_DIR: secretsDir,
  NOTES_ENV_FILE: envFile,
  // A free host port per replica: no clash with anything else on the machine, and scaling works.
  NOTES_PORT: '0',
  LOG_LEVEL: 'warn',
  USERAUTH_BCRYPT_COST: '8',
};

const script = (name: string, args: string[] = [], timeoutMs = 300_000) =>
  must('bash', [join(ROOT, 'scripts', `${name}.sh`), ...args], { env, timeoutMs });
/** `docker compose` arguments for this test's project, file and env file. */
const composeArgs = (args: string[]) => [
  'compose',
  '-p',
  PROJECT,
  '-f',
  join(ROOT, 'compose-local/docker-compose.yml'),
  '--env-file',
  envFile,
  ...args,
];
const compose = (args: string[], timeoutMs = 300_000) =>
  must('docker', composeArgs(args), { env, timeoutMs });
const docker = (args: string[], timeoutMs = 120_000) => must('docker', args, { env, timeoutMs });

/** Container ids of a service of this project: running ones, or also stopped ones (`-a`). */
async function containersOf(service: string, options: { stopped?: boolean } = {}): Promise<string[]> {
  const r = await docker([
    'ps',
    options.stopped ? '-aq' : '-q',
    '--filter',
    `label=com.docker.compose.project=${PROJECT}`,
    '--filter',
    `label=com.docker.compose.service=${service}`,
    ...(options.stopped ? [] : ['--filter', 'label=com.docker.compose.oneoff=False']),
  ]);
  return r.stdout.split('\n').filter(Boolean);
}
async function containerOf(service: string): Promise<string> {
  const [id] = await containersOf(service);
  if (!id) throw new Error(`no running container for ${service}`);
  return id;
}
interface Inspected {
  State: { Status: string; ExitCode: number; Health?: { Status: string } };
  NetworkSettings: {
    Networks: Record<string, { IPAddress: string }>;
    Ports: Record<string, { HostPort: string }[] | null> | null;
  };
}
async function inspect(id: string): Promise<Inspected> {
  return (JSON.parse((await docker(['inspect', id])).stdout) as Inspected[])[0]!;
}
/** The host port published by one svc-notes container. */
async function publishedPort(id: string): Promise<number> {
  const out = (await docker(['port', id, '3000/tcp'])).stdout.trim().split('\n')[0] ?? '';
  const port = Number(out.slice(out.lastIndexOf(':') + 1));
  if (!port) throw new Error(`svc-notes container ${id} publishes no port: ${out}`);
  return port;
}
async function notesBase(): Promise<string> {
  return `http://127.0.0.1:${await publishedPort(await containerOf('svc-notes'))}`;
}

const alice = { username: 'alice', password: 'alice stack password 1' };
const note = { key: 'stack-note-1', title: 'Hello from the stack', body: 'Written through **svc-notes**' };
/** The browser whose session must survive down/up and backup/restore. */
let session: Browser;

async function expectData(base: string, browser: Browser): Promise<void> {
  browser.base = base;
  expect(await browser.loggedIn(), 'the old session cookie is still logged in').toBe(true);
  const view = await new Browser(base).request(`/notes/view?key=${note.key}`);
  expect(view.status).toBe(200);
  expect(view.text).toContain(note.title);
  expect(view.text).toContain('<strong>svc-notes</strong>');
  const fresh = new Browser(base);
  const login = await fresh.login(alice.username, alice.password);
  expect(login.status, 'alice can still log in').toBe(302);
  expect(await fresh.loggedIn()).toBe(true);
}

describe.skipIf(req.skip)('compose-local stack (Docker-compatible engine)', () => {
  if (req.missing) {
    it('needs a Docker-compatible engine', () => {
      throw new Error(req.missing);
    });
    return;
  }

  beforeAll(async () => {
    mkdirSync(backupsDir, { recursive: true, mode: 0o700 });
    writeFileSync(envFile, '# stack test: settings come from the environment\n');
    await script('gen-secrets', ['--dir', secretsDir]);
  });

  afterAll(async () => {
    const logs = await run('bash', [join(ROOT, 'scripts/logs.sh'), '--tail', '40'], {
      env,
      timeoutMs: 60_000,
    });
    if (process.env.STACK_TEST_LOGS) console.log(logs.stdout);
    await run('docker', composeArgs(['down', '-v', '--remove-orphans']), { env, timeoutMs: 120_000 });
    rmSync(work, { recursive: true, force: true });
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'test-results/stack-compose-local.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    console.log(`[stack] ${JSON.stringify(report)}`);
  }, 180_000);

  it('builds both images: non-root, tini as PID 1, the userauth CLI on PATH', async () => {
    const started = Date.now();
    await compose(['build', 'svc-userauth', 'svc-notes'], 1_200_000);
    report.buildSeconds = Math.round((Date.now() - started) / 1000);
    const tag = process.env.TAG ?? 'local';
    const sizes: Record<string, string> = {};
    for (const image of [`notes/svc-userauth:${tag}`, `notes/svc-notes:${tag}`]) {
      const probe = await docker([
        'run',
        '--rm',
        image,
        'node',
        '-e',
        "console.log(JSON.stringify({uid:process.getuid(),pid1:require('fs').readFileSync('/proc/1/cmdline','utf8').split('\\0')[0],env:process.env.NODE_ENV,host:process.env.HOST}))",
      ]);
      expect(JSON.parse(probe.stdout.trim())).toEqual({
        uid: 1000,
        pid1: '/usr/bin/tini',
        env: 'production',
        host: '0.0.0.0',
      });
      const bytes = Number(
        (await docker(['image', 'inspect', '--format', '{{.Size}}', image])).stdout.trim(),
      );
      sizes[image] = `${Math.round(bytes / 1e6)} MB`;
    }
    report.imageSizes = sizes;
    const cli = await docker(['run', '--rm', `notes/svc-userauth:${tag}`, 'userauth', '--help']);
    expect(cli.stdout).toMatch(/password-check/);
  }, 1_260_000);

  it('operator scripts answer --help and fail with a clear message', async () => {
    for (const name of [
      'deploy',
      'restart',
      'logs',
      'redis-cli',
      'userauth',
      'backup',
      'restore',
      'scale-notes',
      'gen-secrets',
    ]) {
      const help = await run('bash', [join(ROOT, 'scripts', `${name}.sh`), '--help'], { env });
      expect(`${name}: ${help.status}`).toBe(`${name}: 0`);
      expect(help.stdout).toMatch(/^Usage: scripts\//);
    }
    const noSecrets = await run('bash', [join(ROOT, 'scripts/deploy.sh'), '--no-build'], {
      env: { ...env, NOTES_SECRETS_DIR: join(work, 'no-such-dir') },
    });
    expect(noSecrets.status).not.toBe(0);
    expect(noSecrets.stderr).toMatch(
      /deploy: error: secret file .* is missing: run scripts\/gen-secrets.sh first/,
    );
    const noBackup = await run(
      'bash',
      [join(ROOT, 'scripts/restore.sh'), '--yes', join(work, 'no-such-backup')],
      { env },
    );
    expect(noBackup.status).not.toBe(0);
    expect(noBackup.stderr).toContain('restore: error: no such backup folder');
    const badScale = await run('bash', [join(ROOT, 'scripts/scale-notes.sh'), '2'], {
      env: { ...env, NOTES_PORT: '3000' },
    });
    expect(badScale.status).not.toBe(0);
    expect(badScale.stderr).toContain('only one replica can publish');
  }, 120_000);

  it('comes up healthy with scripts/deploy.sh (migrations first, then the apps)', async () => {
    const started = Date.now();
    await script('deploy', ['--no-build', '--timeout', '300'], 420_000);
    report.upToHealthySeconds = Math.round((Date.now() - started) / 1000);
    for (const service of CONTAINERS) {
      const state = (await inspect(await containerOf(service))).State;
      expect(`${service}: ${state.Health?.Status}`).toBe(`${service}: healthy`);
    }
    for (const service of ['migrate-userauth', 'migrate-notes']) {
      const ids = await containersOf(service, { stopped: true });
      expect(ids.length, service).toBeGreaterThan(0);
      const state = (await inspect(ids[0]!)).State;
      expect(`${service}: ${state.Status} ${state.ExitCode}`).toBe(`${service}: exited 0`);
    }
  }, 450_000);

  it('adds a user with the CLI inside svc-userauth, then logs in and writes a note over the published port', async () => {
    const added = await script('userauth', [
      'add',
      alice.username,
      '--password',
      alice.password,
      '--email',
      'alice@example.org',
    ]);
    expect(added.stdout).toContain('alice');
    const again = await run(
      'bash',
      [join(ROOT, 'scripts/userauth.sh'), 'add', alice.username, '--password', 'x'.repeat(20)],
      {
        env,
      },
    );
    expect(again.status, 'adding the same user twice fails').not.toBe(0);

    const base = await notesBase();
    const wrong = new Browser(base);
    const refused = await wrong.login(alice.username, 'not the password');
    expect(refused.status === 302 && refused.location !== '/users/login').toBe(false);
    expect(await wrong.loggedIn()).toBe(false);

    session = new Browser(base);
    const login = await session.login(alice.username, alice.password);
    expect(login.status).toBe(302);
    expect(login.location).not.toContain('/users/login');
    expect(await session.loggedIn()).toBe(true);
    const saved = await session.addNote(note.key, note.title, note.body);
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/notes/view?key=${note.key}`);
    const view = await new Browser(base).request(`/notes/view?key=${note.key}`);
    expect(view.status).toBe(200);
    expect(view.text).toMatch(/id="notetitle"[^>]*>Hello from the stack</);
    expect((await new Browser(base).request('/notes/view?key=no-such-note')).status).toBe(404);
  }, 120_000);

  it('enforces the DESIGN network matrix: every allowed pair connects, every other pair cannot, only svc-notes is published', async () => {
    // Every address of every container, on each of its networks.
    const addresses: Record<string, string[]> = {};
    const ids: Record<string, string> = {};
    const published: Record<string, string[]> = {};
    for (const service of CONTAINERS) {
      ids[service] = await containerOf(service);
      const info = await inspect(ids[service]!);
      addresses[service] = Object.values(
        info.NetworkSettings.Networks as Record<string, { IPAddress: string }>,
      )
        .map((n) => n.IPAddress)
        .filter(Boolean);
      const ports = info.NetworkSettings.Ports ?? {};
      published[service] = Object.entries(ports).flatMap(([p, b]) =>
        (b ?? []).map((x) => `${x.HostPort}->${p}`),
      );
    }
    // From inside each container: a TCP connection to every other container's service port, by
    // name and by each of its IP addresses, all at once (3 s each), with bash's /dev/tcp.
    const results = await Promise.all(
      CONTAINERS.map(async (from) => {
        const lines = CONTAINERS.filter((to) => to !== from).flatMap((to) =>
          [to, ...addresses[to]!].map(
            (addr) =>
              `( if timeout 3 bash -c 'exec 3<>/dev/tcp/${addr}/${SERVICE_PORT[to]}' 2>/dev/null; then echo "${to} ${addr} ok"; else echo "${to} ${addr} no"; fi ) &`,
          ),
        );
        const r = await docker(['exec', ids[from]!, 'bash', '-c', `${lines.join('\n')}\nwait`], 60_000);
        return { from, out: r.stdout };
      }),
    );
    const matrix: Record<string, Record<string, string>> = {};
    const problems: string[] = [];
    for (const { from, out } of results) {
      matrix[from] = {};
      for (const to of CONTAINERS.filter((t) => t !== from)) {
        const tried = out.split('\n').filter((l) => l.startsWith(`${to} `));
        expect(tried.length, `${from} tried every address of ${to}`).toBe(1 + addresses[to]!.length);
        const byName = tried.some((l) => l === `${to} ${to} ok`);
        const anyOk = tried.some((l) => l.endsWith(' ok'));
        matrix[from]![to] = anyOk ? 'connects' : 'blocked';
        if (mayConnect(from, to) && !byName)
          problems.push(`${from} -> ${to}:${SERVICE_PORT[to]} should connect`);
        if (!mayConnect(from, to) && anyOk)
          problems.push(
            `${from} -> ${to} must not connect: ${tried.filter((l) => l.endsWith(' ok')).join(', ')}`,
          );
      }
    }
    report.connectionMatrix = matrix;
    report.published = published;
    expect(problems).toEqual([]);
    // The pairs the issue names explicitly, so a change of the table above cannot hide them.
    expect(matrix['svc-notes']!['db-userauth']).toBe('blocked');
    expect(matrix['svc-userauth']!['db-notes']).toBe('blocked');
    expect(matrix['svc-userauth']!.redis).toBe('blocked');
    expect(matrix['db-notes']!['svc-userauth']).toBe('blocked');
    expect(matrix['svc-notes']!['svc-userauth']).toBe('connects');
    expect(matrix['svc-userauth']!['db-userauth']).toBe('connects');
    // Nothing but svc-notes has a host port, and that one answers.
    for (const service of CONTAINERS) {
      if (service === 'svc-notes') expect(published[service]!.length).toBe(1);
      else expect(published[service], `${service} publishes nothing`).toEqual([]);
    }
    const health = await fetch(`${await notesBase()}/healthz`);
    expect(health.status).toBe(200);
  }, 180_000);

  it('restarts, reaches Redis with its password, and never writes a secret to the logs', async () => {
    await script('restart', [], 300_000);
    expect(await session.loggedIn(), 'sessions survive a restart of the apps').toBe(true);
    expect((await script('redis-cli', ['ping'])).stdout.trim()).toBe('PONG');
    const noAuth = await run('docker', ['exec', await containerOf('redis'), 'redis-cli', 'ping'], { env });
    expect(noAuth.stdout + noAuth.stderr, 'redis refuses clients without the password').toMatch(/NOAUTH/);
    const logs = (await script('logs', ['--tail', '100000'])).stdout;
    expect(logs).toContain('svc-userauth');
    const secrets = readdirSync(secretsDir).flatMap((f) =>
      readFileSync(join(secretsDir, f), 'utf8')
        .trim()
        .split(/[,:@/]+/)
        .filter((part) => part.length >= 16),
    );
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    for (const secret of secrets) expect(logs.includes(secret), 'a secret value is in the logs').toBe(false);
    expect(logs.includes(alice.password), "alice's password is in the logs").toBe(false);
  }, 400_000);

  it('stops gracefully (tini passes SIGTERM on), and keeps users, notes and sessions across down and up', async () => {
    await compose(['stop'], 180_000);
    for (const service of ['svc-notes', 'svc-userauth']) {
      const [id] = await containersOf(service, { stopped: true });
      const state = (await inspect(id!)).State;
      expect(`${service} exited ${state.ExitCode}`).toBe(`${service} exited 0`);
    }
    await compose(['down'], 180_000);
    expect(await containersOf('svc-notes')).toEqual([]);
    await script('deploy', ['--no-build', '--timeout', '300'], 420_000);
    await expectData(await notesBase(), session);
  }, 600_000);

  it('backs up, loses every volume, and restores users, notes and sessions', async () => {
    const backup = await script('backup', ['--dir', backupsDir], 180_000);
    const folder = backup.stdout.trim().split('\n').at(-1)!;
    expect(folder.startsWith(backupsDir)).toBe(true);
    report.backupFiles = (await must('ls', ['-l', folder])).stdout.trim().split('\n').slice(1);

    await compose(['down', '-v'], 180_000);
    await script('deploy', ['--no-build', '--timeout', '300'], 420_000);
    const base = await notesBase();
    // The wipe is real: fresh databases and Redis.
    expect((await new Browser(base).request(`/notes/view?key=${note.key}`)).status).toBe(404);
    const gone = await run('bash', [join(ROOT, 'scripts/userauth.sh'), 'find', alice.username], { env });
    expect(gone.status, 'alice is gone after the wipe').not.toBe(0);
    session.base = base;
    expect(await session.loggedIn()).toBe(false);

    const started = Date.now();
    await script('restore', ['--yes', folder], 420_000);
    report.restoreSeconds = Math.round((Date.now() - started) / 1000);
    await expectData(await notesBase(), session);
    report.backupRestore = 'user, note and session back after down -v and restore';
  }, 900_000);

  it('runs two svc-notes replicas that share sessions and live events through Redis', async () => {
    await script('scale-notes', ['2'], 420_000);
    const ids = await containersOf('svc-notes');
    expect(ids.length).toBe(2);
    const [a, b] = await Promise.all(ids.map(async (id) => `http://127.0.0.1:${await publishedPort(id)}`));
    expect(a).not.toBe(b);

    // A session made on replica A is valid on replica B.
    const onA = new Browser(a!);
    expect((await onA.login(alice.username, alice.password)).status).toBe(302);
    const onB = new Browser(b!);
    for (const [k, v] of onA.cookies) onB.cookies.set(k, v);
    expect(await onB.loggedIn(), 'the session from replica A works on replica B').toBe(true);

    // A note created through A reaches a socket connected to B.
    const listener = await connectSocket(b!, '/home', { cookie: onB.cookieHeader(), timeoutMs: 10_000 });
    try {
      const key = 'replica-note';
      const seen = nextEvent<{ key: string; title: string }>(
        listener,
        'notecreated',
        (n) => n.key === key,
        10_000,
      );
      const saved = await onA.addNote(key, 'Made on replica A', 'seen on B');
      expect(saved.status).toBe(302);
      expect(await seen).toMatchObject({ key, title: 'Made on replica A' });
    } finally {
      listener.close();
    }
    await script('scale-notes', ['1'], 300_000);
    expect((await containersOf('svc-notes')).length).toBe(1);
  }, 600_000);
});
