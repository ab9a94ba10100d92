import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSocket, nextEvent } from '@notes/notes/testing';
import { REPO_ROOT as ROOT } from '@notes/testkit';
import { dockerEnv, engineReachable, must, requirement, run } from '@notes/testkit/docker';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESIGN_CONTAINERS as CONTAINERS, mayConnect } from '../design/networks.js';
import { selfSignedCert } from '../swarm/tls.js';
import { copyAsClone, get, total } from './ops-helpers.js';
import { Browser } from './web.js';

/**
 * compose-local, for real: the images are built and the stack runs on a Docker-compatible engine
 * (the stand-in tool in CI), driven through the operator scripts an operator would use.
 * Everything is proved by trying it: a fresh clone's plain `docker compose up`, logins over the
 * published port, TCP connections from inside each container, metrics scraped from the operators'
 * network, a userauth outage that leaves svc-notes healthy, data surviving down/up and
 * backup/prune/wipe/restore, two replicas sharing state, TLS through the edge profile.
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
/** A copy of the repository as `git clone` makes it: the first start runs there. */
const clone = join(work, 'clone');
/** Where the clone's first `docker compose up` writes the secrets; the scripts use them after. */
const secretsDir = join(clone, 'compose-local/secrets');
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
async function containersOf(
  service: string,
  options: { stopped?: boolean; anyService?: boolean } = {},
): Promise<string[]> {
  const r = await docker([
    'ps',
    options.stopped ? '-aq' : '-q',
    '--filter',
    `label=com.docker.compose.project=${PROJECT}`,
    ...(options.anyService ? [] : ['--filter', `label=com.docker.compose.service=${service}`]),
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
/** The last log lines of these services' containers (svc-*: warnings and worse only), for a failure message. */
async function storeLogs(services: string[]): Promise<string> {
  const parts: string[] = [];
  for (const service of services) {
    for (const id of await containersOf(service, { stopped: true })) {
      const logs = await run('docker', ['logs', '--tail', '80', id], { env, timeoutMs: 30_000 });
      const lines = `${logs.stdout}${logs.stderr}`
        .split('\n')
        .filter((line) => !service.startsWith('svc-') || !line.includes('"level":30'));
      parts.push(`--- ${service} ${id.slice(0, 12)}\n${lines.slice(-40).join('\n')}`);
    }
  }
  return parts.join('\n');
}

async function notesBase(): Promise<string> {
  return `http://127.0.0.1:${await publishedPort(await containerOf('svc-notes'))}`;
}

/** Polls until every container of the project is running and healthy, one-shots exited 0. */
async function waitHealthy(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const ids = await containersOf('', { stopped: true, anyService: true });
    const states = await Promise.all(ids.map(async (id) => ({ id, s: (await inspect(id)).State })));
    const bad = states.filter(
      ({ s }) =>
        !(s.Status === 'running' && (!s.Health || s.Health.Status === 'healthy')) &&
        !(s.Status === 'exited' && s.ExitCode === 0),
    );
    const failed = states.find(({ s }) => s.Status === 'exited' && s.ExitCode !== 0);
    if (failed) throw new Error(`a container exited ${failed.s.ExitCode}: ${failed.id}`);
    if (ids.length > 0 && bad.length === 0) return;
    last = bad.map(({ id, s }) => `${id.slice(0, 12)} ${s.Status}/${s.Health?.Status}`).join(', ');
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`not healthy after ${timeoutMs} ms: ${last}`);
}

/** Both services' /metrics, fetched from a throwaway container on the operators' network. */
async function scrapeFromOpsnet(): Promise<{ notes: string; userauth: string }> {
  const tag = process.env.TAG ?? 'local';
  // Detached, then wait and read its log: an attached `run --rm` can lose the output of a
  // container that exits right away (seen under the podman-based engine).
  const id = (
    await docker([
      'run',
      '-d',
      '--network',
      `${PROJECT}_opsnet`,
      `notes/svc-notes:${tag}`,
      'node',
      '-e',
      "Promise.all(['svc-notes','svc-userauth'].map(h=>fetch('http://'+h+':9464/metrics').then(r=>{if(!r.ok)throw new Error(h+' '+r.status);return r.text()}))).then(([n,u])=>console.log(JSON.stringify({notes:n,userauth:u})))",
    ])
  ).stdout.trim();
  try {
    const code = (await docker(['wait', id], 60_000)).stdout.trim();
    const logs = await docker(['logs', id]);
    if (code !== '0') throw new Error(`the scrape exited ${code}: ${logs.stderr.slice(-2000)}`);
    return JSON.parse(logs.stdout.trim().split('\n').at(-1)!) as { notes: string; userauth: string };
  } finally {
    await run('docker', ['rm', '-f', id], { env });
  }
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
    copyAsClone(clone);
  });

  afterAll(async () => {
    const logs = await run('bash', [join(ROOT, 'scripts/logs.sh'), '--tail', '40'], {
      env,
      timeoutMs: 60_000,
    });
    if (process.env.STACK_TEST_LOGS) console.log(logs.stdout);
    await run('docker', composeArgs(['--profile', 'edge', 'down', '-v', '--remove-orphans']), {
      env,
      timeoutMs: 120_000,
    });
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
      'check-health',
    ]) {
      const help = await run('bash', [join(ROOT, 'scripts', `${name}.sh`), '--help'], { env });
      expect(`${name}: ${help.status}`).toBe(`${name}: 0`);
      expect(help.stdout).toMatch(/^Usage: scripts\//);
    }
    const alerted = join(work, 'alert-none.txt');
    const noStack = await run('bash', [join(ROOT, 'scripts/check-health.sh'), '--quiet'], {
      env: { ...env, NOTES_COMPOSE_PROJECT: `nosuch${process.pid}`, NOTES_ALERT_CMD: `cat > ${alerted}` },
    });
    expect(noStack.status).toBe(1);
    expect(noStack.stderr).toContain(`project 'nosuch${process.pid}' has no containers`);
    expect(readFileSync(alerted, 'utf8'), 'the alert command got the report').toContain('has no containers');
    const badKeep = await run('bash', [join(ROOT, 'scripts/backup.sh'), '--keep', '0'], { env });
    expect(badKeep.status).toBe(2);
    expect(badKeep.stderr).toContain('--keep must be a whole number >= 1');
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

  it("a fresh clone's plain `docker compose up` turns healthy: secrets made on first start, never overwritten", async () => {
    // No gen-secrets, no .env, no NOTES_* settings: what a developer types after `git clone`.
    const plain: NodeJS.ProcessEnv = { ...dockerEnv(), COMPOSE_PROJECT_NAME: PROJECT, NOTES_PORT: '0' };
    for (const k of Object.keys(plain)) if (k.startsWith('NOTES_') && k !== 'NOTES_PORT') delete plain[k];
    expect(readdirSync(secretsDir)).toEqual(['.gitignore']);
    const started = Date.now();
    const up = () =>
      must('docker', ['compose', 'up', '-d'], {
        env: plain,
        cwd: join(clone, 'compose-local'),
        timeoutMs: 420_000,
      });
    await up();
    await waitHealthy(300_000);
    report.freshCloneUpToHealthySeconds = Math.round((Date.now() - started) / 1000);
    const written = readdirSync(secretsDir)
      .filter((f) => !f.startsWith('.'))
      .sort();
    expect(written).toEqual(
      [
        'db_notes_password',
        'db_notes_root_password',
        'db_userauth_password',
        'db_userauth_root_password',
        'notes_redis_url',
        'notes_session_secret',
        'notes_userauth_api_key',
        'redis_password',
        'userauth_admin_api_key',
        'userauth_api_keys',
        'userauth_mfa_key',
      ].sort(),
    );
    const before = Object.fromEntries(written.map((f) => [f, readFileSync(join(secretsDir, f), 'utf8')]));
    // Each container holds only its own credentials, read-only.
    const notesSecrets = await docker(['exec', await containerOf('svc-notes'), 'ls', '/run/secrets']);
    expect(notesSecrets.stdout.trim().split('\n').sort()).toEqual(
      ['db_notes_password', 'notes_redis_url', 'notes_session_secret', 'notes_userauth_api_key'].sort(),
    );
    const readOnly = await run(
      'docker',
      ['exec', await containerOf('svc-notes'), 'touch', '/run/secrets/x'],
      { env },
    );
    expect(readOnly.status, 'the secrets volume is read-only').not.toBe(0);
    // MariaDB's own tools, and root only from inside the container.
    const roots = await docker([
      'exec',
      await containerOf('db-notes'),
      'sh',
      '-c',
      'MYSQL_PWD="$(cat /run/secrets/db_notes_root_password)" mariadb -uroot -N -e "SELECT host FROM mysql.user WHERE user=\'root\'" && command -v mariadb-dump && command -v healthcheck.sh',
    ]);
    const lines = roots.stdout.trim().split('\n');
    const rootHosts = lines.filter((l) => !l.startsWith('/'));
    expect(rootHosts, 'root exists').toContain('localhost');
    for (const host of rootHosts)
      expect(['localhost', '127.0.0.1', '::1'], `root@'${host}' is not local`).toContain(host);
    expect(lines.filter((l) => l.startsWith('/')).length).toBe(2);
    // A second `up` keeps every secret as it is.
    await up();
    await waitHealthy(300_000);
    for (const f of written) expect(readFileSync(join(secretsDir, f), 'utf8'), f).toBe(before[f]);
    // The clone's stack ends here (its secrets stay for the scripts) and the next test deploys
    // afresh. Deploying over it recreated containers on networks they had used, and on the podman
    // stand-in new connections from a recreated svc-userauth were seen to stall for up to a minute
    // (likely a reused address with a new MAC meeting stale neighbour entries; Docker derives MACs
    // from addresses), failing the first requests after a healthy deploy.
    await must('docker', ['compose', 'down', '-v'], {
      env: plain,
      cwd: join(clone, 'compose-local'),
      timeoutMs: 300_000,
    });
  }, 900_000);

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
    ]).catch(async (err: Error) => {
      // One CI run got "the user database is unavailable" here right after a healthy deploy, and
      // the cause is not known yet: keep the evidence (both containers' logs) with the failure.
      throw new Error(`${err.message}\n${await storeLogs(['svc-userauth', 'db-userauth'])}`);
    });
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

  it("serves /metrics to the operators' network only: scraped there, refused on the published port", async () => {
    const base = await notesBase();
    // Traffic for every kind of metric: a page, a live event to an open socket, a login.
    const listener = await connectSocket(base, '/home', {
      cookie: session.cookieHeader(),
      timeoutMs: 10_000,
    });
    try {
      const seen = nextEvent<{ key: string }>(
        listener,
        'notecreated',
        (n) => n.key === 'metrics-note',
        10_000,
      );
      expect((await session.addNote('metrics-note', 'Counted', 'by prom-client')).status).toBe(302);
      await seen;
      expect((await new Browser(base).request('/notes/view?key=metrics-note')).status).toBe(200);
      expect((await new Browser(base).login(alice.username, 'wrong password')).status).toBe(401);
      const { notes, userauth } = await scrapeFromOpsnet();
      const view = { route: '/notes/view', status: '200', method: 'GET' };
      expect(total(notes, 'http_request_duration_seconds_count', view)).toBeGreaterThanOrEqual(1);
      expect(total(notes, 'notes_socket_connections')).toBeGreaterThanOrEqual(1);
      expect(total(notes, 'notes_live_events_sent_total', { event: 'notecreated' })).toBeGreaterThanOrEqual(
        1,
      );
      expect(total(notes, 'db_query_duration_seconds_count', { operation: 'SELECT' })).toBeGreaterThan(0);
      expect(total(notes, 'redis_command_duration_seconds_count')).toBeGreaterThan(0);
      expect(
        total(notes, 'notes_userauth_request_duration_seconds_count', { operation: 'passwordCheck' }),
      ).toBeGreaterThanOrEqual(2);
      expect(total(notes, 'notes_logins_total', { result: 'success' })).toBeGreaterThanOrEqual(1);
      expect(total(notes, 'notes_logins_total', { result: 'rejected' })).toBeGreaterThanOrEqual(1);
      expect(total(notes, 'notes_dependency_up', { dependency: 'userauth' })).toBe(1);
      expect(total(notes, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      expect(notes).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
      const check = { route: '/password-check', method: 'POST', status: '200' };
      expect(total(userauth, 'http_request_duration_seconds_count', check)).toBeGreaterThanOrEqual(2);
      expect(total(userauth, 'userauth_dependency_up', { dependency: 'database' })).toBe(1);
      expect(total(userauth, 'db_query_duration_seconds_count')).toBeGreaterThan(0);
      report.metricNames = {
        notes: [...new Set(notes.match(/^# TYPE (\S+)/gm)!.map((l) => l.slice(7)))].filter(
          (n) => !/^(process|nodejs)_/.test(n),
        ),
        userauth: [...new Set(userauth.match(/^# TYPE (\S+)/gm)!.map((l) => l.slice(7)))].filter(
          (n) => !/^(process|nodejs)_/.test(n),
        ),
      };
    } finally {
      listener.close();
    }
    // Not on the published port, and the metrics port itself is published nowhere.
    const published = await fetch(`${base}/metrics`);
    expect(published.status).toBe(404);
    for (const service of ['svc-notes', 'svc-userauth']) {
      const ports = (await inspect(await containerOf(service))).NetworkSettings.Ports ?? {};
      expect(ports['9464/tcp'] ?? null, `${service} publishes no metrics port`).toBeNull();
    }
  }, 180_000);

  it('restarts, reaches Redis with its password, and never writes a secret to the logs', async () => {
    await script('restart', [], 300_000);
    expect(await session.loggedIn(), 'sessions survive a restart of the apps').toBe(true);
    expect((await script('redis-cli', ['ping'])).stdout.trim()).toBe('PONG');
    const noAuth = await run('docker', ['exec', await containerOf('redis'), 'redis-cli', 'ping'], { env });
    expect(noAuth.stdout + noAuth.stderr, 'redis refuses clients without the password').toMatch(/NOAUTH/);
    const logs = (await script('logs', ['--tail', '100000'])).stdout;
    expect(logs).toContain('svc-userauth');
    const secrets = readdirSync(secretsDir)
      .filter((f) => !f.startsWith('.'))
      .flatMap((f) =>
        readFileSync(join(secretsDir, f), 'utf8')
          .trim()
          .split(/[,:@/]+/)
          .filter((part) => part.length >= 16),
      );
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    for (const secret of secrets) expect(logs.includes(secret), 'a secret value is in the logs').toBe(false);
    expect(logs.includes(alice.password), "alice's password is in the logs").toBe(false);
  }, 400_000);

  it('a userauth outage longer than the health-check window leaves svc-notes healthy and serving anonymous reads; check-health.sh alerts', async () => {
    const alerts = join(work, 'alerts.txt');
    const check = () =>
      run('bash', [join(ROOT, 'scripts/check-health.sh'), '--quiet', '--timeout', '15'], {
        env: { ...env, NOTES_ALERT_CMD: `cat >> ${alerts}` },
        timeoutMs: 60_000,
      });
    const fine = await check();
    expect(fine.status, fine.stderr).toBe(0);
    expect(existsSync(alerts)).toBe(false);

    const notes = await containerOf('svc-notes');
    const base = await notesBase();
    await compose(['stop', 'svc-userauth'], 120_000);
    const stopped = Date.now();
    // svc-notes' health check: every 15 s, unhealthy after 3 failures in a row (45 s). Outlast it.
    const windowMs = 60_000;
    let reads = 0;
    while (Date.now() - stopped < windowMs) {
      const view = await new Browser(base).request(`/notes/view?key=${note.key}`);
      expect(view.status, 'anonymous reads keep working without svc-userauth').toBe(200);
      reads += 1;
      const state = (await inspect(notes)).State;
      expect(`${state.Status}/${state.Health?.Status}`).toBe('running/healthy');
      await new Promise((r) => setTimeout(r, 5000));
    }
    const state = (await inspect(notes)).State as Inspected['State'] & {
      Health?: { FailingStreak?: number };
    };
    expect(state.Health?.FailingStreak ?? 0).toBe(0);
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(windowMs);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status, '/readyz tells monitors that userauth is down').toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { userauth: 'down' } });
    const login = await new Browser(base).login(alice.username, alice.password);
    expect(login.status, 'a login fails cleanly, no 500').not.toBe(500);
    const { notes: metrics } = await scrapeFromOpsnet().catch(() => ({ notes: '' }));
    if (metrics) {
      expect(total(metrics, 'notes_dependency_up', { dependency: 'userauth' })).toBe(0);
      expect(total(metrics, 'notes_userauth_request_failures_total')).toBeGreaterThan(0);
    }
    const down = await check();
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/svc-userauth_1 is exited|\/readyz answered 503/);
    expect(readFileSync(alerts, 'utf8')).toMatch(/\/readyz (answered 503|did not answer)/);
    report.userauthOutage = { seconds: Math.round((Date.now() - stopped) / 1000), anonymousReads: reads };

    await compose(['start', 'svc-userauth'], 120_000);
    await waitHealthy(180_000);
    expect((await check()).status).toBe(0);
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

  it('backs up on a schedule (--keep prunes, the copy hook runs), loses every volume, and restores users, notes and sessions', async () => {
    // Older backups as cron would have left them, and a folder that is not a backup.
    for (const old of ['20200101T000000Z', '20200102T000000Z', '20200103T000000Z']) {
      mkdirSync(join(backupsDir, old));
      writeFileSync(join(backupsDir, old, 'SHA256SUMS'), '');
    }
    mkdirSync(join(backupsDir, 'keep-me'));
    const copies = join(work, 'offsite');
    mkdirSync(copies);
    const backup = await must('bash', [join(ROOT, 'scripts/backup.sh'), '--dir', backupsDir, '--keep', '2'], {
      env: { ...env, NOTES_BACKUP_COPY_CMD: `cp -a "$1" ${copies}/` },
      timeoutMs: 180_000,
    });
    const folder = backup.stdout.trim().split('\n').at(-1)!;
    expect(folder.startsWith(backupsDir)).toBe(true);
    expect(readdirSync(backupsDir).sort()).toEqual(
      ['20200103T000000Z', folder.slice(backupsDir.length + 1), 'keep-me', 'last-success.prom'].sort(),
    );
    expect(readdirSync(copies), 'NOTES_BACKUP_COPY_CMD copied the new backup').toEqual([
      folder.slice(backupsDir.length + 1),
    ]);
    const stamp = Number(
      /_seconds (\d+)$/m.exec(readFileSync(join(backupsDir, 'last-success.prom'), 'utf8'))?.[1],
    );
    expect(Math.abs(stamp - Date.now() / 1000)).toBeLessThan(600);
    const failedCopy = await run(
      'bash',
      [join(ROOT, 'scripts/backup.sh'), '--dir', backupsDir, '--keep', '1'],
      {
        env: { ...env, NOTES_BACKUP_COPY_CMD: 'exit 3' },
        timeoutMs: 180_000,
      },
    );
    expect(failedCopy.status).not.toBe(0);
    expect(failedCopy.stderr).toContain('NOTES_BACKUP_COPY_CMD failed (exit 3)');
    expect(existsSync(folder), 'a failed copy prunes nothing').toBe(true);
    expect(statSync(join(backupsDir, '20200103T000000Z')).isDirectory()).toBe(true);
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
  it('serves TLS through the edge profile with the Swarm nginx template: HTTPS with HSTS, HTTP redirected, WebSocket upgraded', async () => {
    const tlsDir = join(work, 'tls');
    const { cert } = selfSignedCert(tlsDir);
    const ca = readFileSync(cert, 'utf8');
    const edgeEnv = { ...env, NOTES_TLS_DIR: tlsDir, NOTES_HTTPS_PORT: '0', NOTES_HTTP_PORT: '0' };
    await must('docker', composeArgs(['--profile', 'edge', 'up', '-d', '--no-build', 'edge']), {
      env: edgeEnv,
      timeoutMs: 300_000,
    });
    await waitHealthy(180_000);
    const edge = await containerOf('edge');
    const port = async (p: string) => {
      const out = (await docker(['port', edge, p])).stdout.trim().split('\n')[0] ?? '';
      return Number(out.slice(out.lastIndexOf(':') + 1));
    };
    const httpsBase = `https://127.0.0.1:${await port('443/tcp')}`;
    const httpBase = `http://127.0.0.1:${await port('80/tcp')}`;
    const page = await get(`${httpsBase}/notes/view?key=${note.key}`, ca);
    expect(page.status).toBe(200);
    expect(page.text).toContain(note.title);
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const plain = await get(`${httpBase}/notes/view?key=${note.key}`);
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toMatch(/^https:\/\//);
    expect(plain.headers['strict-transport-security'], 'no HSTS over plain HTTP').toBeUndefined();
    const socket = io(`${httpsBase}/home`, {
      transports: ['websocket'],
      extraHeaders: { origin: httpsBase },
      ca,
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
    });
    try {
      await new Promise<void>((ok, fail) => {
        socket.once('connect', () => ok());
        socket.once('connect_error', fail);
      });
      expect(socket.io.engine.transport.name).toBe('websocket');
    } finally {
      socket.close();
    }
    report.edge = 'HTTPS 200 with HSTS, HTTP 301 without, WebSocket through nginx';
    await compose(['--profile', 'edge', 'rm', '-sf', 'edge'], 120_000);
  }, 400_000);
});
