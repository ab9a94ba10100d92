/**
 * The swarm operator scripts, run for real against a stand-in `docker` on PATH (no swarm exists
 * here): it keeps secrets in a folder, logs every command line, and hands `docker stack config`
 * to the real Docker CLI when there is one. Proves what the scripts send to docker: secrets on
 * standard input only, consistent pairs, the rendered file that gets deployed.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, requirement, runSync } from '@notes/testkit/docker';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, STACK_ENV_EXAMPLE } from './stack-file.js';

const SCRIPTS = [
  'swarm-secrets.sh',
  'swarm-build-push.sh',
  'swarm-deploy.sh',
  'swarm-status.sh',
  'swarm-rollback.sh',
];

describe('every swarm script', () => {
  for (const script of SCRIPTS) {
    it(`${script}: parses, is strict, answers --help`, () => {
      const file = join(ROOT, 'scripts', script);
      expect(runSync('bash', ['-n', file]).status).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(/^set -euo pipefail$/m);
      const r = runSync('bash', [file, '--help']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: /);
      const bad = runSync('bash', [file, '--no-such-option']);
      expect(bad.status).not.toBe(0);
    });
  }
});

const realDocker = runSync('bash', ['-c', 'command -v docker']).stdout.trim();
const stackConfig = requirement(
  realDocker !== '' && runSync(realDocker, ['stack', 'config', '--help']).status === 0,
  'the Docker CLI with `docker stack config`',
);
const openssl = requirement(hasCommand('openssl', ['version']), 'openssl');

const work = mkdtempSync(join(tmpdir(), 'notes-swarm-scripts-'));
const bin = join(work, 'bin');
const store = join(work, 'secrets');
const log = join(work, 'docker.log');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The stand-in docker: enough of `secret`, `stack`, `service` for the scripts. */
const FAKE_DOCKER = `#!/usr/bin/env bash
set -euo pipefail
printf '%s\\n' "$*" >> "$FAKE_LOG"
case "$1 \${2:-}" in
  "secret ls") ls "$FAKE_STORE" ;;
  "secret inspect") [ -f "$FAKE_STORE/$3" ] ;;
  "secret create")
    shift 2
    while [ "$1" = --label ]; do shift 2; done
    [ ! -e "$FAKE_STORE/$1" ] || { echo "secret $1 exists" >&2; exit 1; }
    [ "$2" = - ] || { echo "expected the value on stdin" >&2; exit 1; }
    cat > "$FAKE_STORE/$1" ;;
  "stack config") shift 2; exec "$REAL_DOCKER" stack config "$@" ;;
  "build "*|"push "*) ;;
  "stack deploy") cp "\${@: -2:1}" "$FAKE_DEPLOYED" ;;
  "service ls") echo "\${FAKE_STACK}_migrate-userauth|0/1 (1/1 completed)"; echo "\${FAKE_STACK}_migrate-notes|0/1 (1/1 completed)" ;;
  "stack services") echo "\${FAKE_STACK}_svc-notes|replicated|2/2"; echo "\${FAKE_STACK}_migrate-notes|replicated job|0/1 (1/1 completed)" ;;
  *) echo "fake docker: unsupported: $*" >&2; exit 1 ;;
esac
`;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_LOG: log,
    FAKE_STORE: store,
    FAKE_DEPLOYED: join(work, 'deployed.yml'),
    FAKE_STACK: 'swtest',
    REAL_DOCKER: realDocker,
    ...extra,
  };
  for (const k of ['REGISTRY', 'TAG', 'STACK_NAME', 'NOTES_REPLICAS', 'DOCKER_HOST'])
    if (!(k in extra)) delete e[k];
  return e;
}
const secretsScript = join(ROOT, 'scripts', 'swarm-secrets.sh');
const deployScript = join(ROOT, 'scripts', 'swarm-deploy.sh');
const stored = (name: string) => readFileSync(join(store, name), 'utf8');

beforeEach(() => {
  rmSync(store, { recursive: true, force: true });
  mkdirSync(store, { recursive: true });
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
  chmodSync(join(bin, 'docker'), 0o755);
  writeFileSync(log, '');
});

describe.skipIf(openssl.skip)('swarm-secrets.sh', () => {
  it('creates v1 of every secret with strong random values, on stdin only, pairs consistent', () => {
    if (openssl.missing) throw new Error(openssl.missing);
    const r = runSync('bash', [secretsScript, 'create', '--self-signed', 'notes.example.com'], {
      env: env(),
    });
    expect(r.status, r.stderr).toBe(0);
    const names = readdirSync(store).sort();
    expect(names).toEqual(
      [
        'db_notes_root_password',
        'db_userauth_root_password',
        'notes_db_password',
        'notes_redis_url',
        'notes_session_secret',
        'notes_userauth_api_key',
        'redis_conf',
        'tls_cert',
        'tls_key',
        'userauth_admin_api_key',
        'userauth_api_keys',
        'userauth_db_password',
        'userauth_mfa_key',
      ]
        .map((n) => `notes_${n}_v1`)
        .sort(),
    );
    const [apiKey, adminKey] = stored('notes_userauth_api_keys_v1').split(',');
    expect(apiKey).toMatch(/^notes:[A-Za-z0-9]{40}$/);
    expect(adminKey).toMatch(/^admin:[A-Za-z0-9]{40}$/);
    expect(stored('notes_notes_userauth_api_key_v1')).toBe(apiKey);
    expect(stored('notes_userauth_admin_api_key_v1')).toBe(adminKey);
    const password = /^requirepass ([A-Za-z0-9]{40})$/.exec(stored('notes_redis_conf_v1'))?.[1];
    expect(password).toBeDefined();
    expect(stored('notes_notes_redis_url_v1')).toBe(`redis://:${password}@redis:6379`);
    expect(stored('notes_notes_session_secret_v1')).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(stored('notes_userauth_mfa_key_v1')).toMatch(/^[A-Za-z0-9]{64}$/);
    for (const n of ['notes_db_password', 'userauth_db_password', 'db_notes_root_password']) {
      expect(stored(`notes_${n}_v1`)).toMatch(/^[A-Za-z0-9]{32}$/);
    }
    expect(stored('notes_userauth_db_password_v1')).not.toBe(stored('notes_notes_db_password_v1'));
    expect(stored('notes_tls_cert_v1')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(stored('notes_tls_key_v1')).toMatch(/^-----BEGIN PRIVATE KEY-----/);

    // No value ever reached a command line or the script's output.
    const seen = readFileSync(log, 'utf8') + r.stdout + r.stderr;
    for (const name of names) {
      const value = stored(name)
        .split('\n')
        .find((l) => l.length > 20 && !l.startsWith('-----'));
      if (value) expect(seen, name).not.toContain(value.replace(/^requirepass /, '').slice(0, 30));
    }
  });

  it('keeps existing secrets on a second create, and rotates one group to the next version', () => {
    if (openssl.missing) throw new Error(openssl.missing);
    expect(runSync('bash', [secretsScript, 'create', '--self-signed', 'x.test'], { env: env() }).status).toBe(
      0,
    );
    const before = readdirSync(store).length;
    const again = runSync('bash', [secretsScript, 'create'], { env: env() });
    expect(again.status, again.stderr).toBe(0);
    expect(readdirSync(store).length).toBe(before);

    const rot = runSync('bash', [secretsScript, 'rotate', 'userauth-api'], { env: env() });
    expect(rot.status, rot.stderr).toBe(0);
    expect(rot.stdout).toContain('USERAUTH_API_KEYS_V=v2');
    expect(rot.stdout).toContain('NOTES_USERAUTH_API_KEY_V=v2');
    expect(rot.stdout).toContain('USERAUTH_ADMIN_API_KEY_V=v2');
    expect(stored('notes_userauth_api_keys_v2')).toBe(
      `${stored('notes_notes_userauth_api_key_v2')},${stored('notes_userauth_admin_api_key_v2')}`,
    );
    expect(stored('notes_userauth_api_keys_v2')).not.toBe(stored('notes_userauth_api_keys_v1'));

    const tls = runSync('bash', [secretsScript, 'rotate', 'tls'], { env: env() });
    expect(tls.status).not.toBe(0);
    expect(tls.stderr).toMatch(/--tls-cert/);
    expect(runSync('bash', [secretsScript, 'rotate', 'nonsense'], { env: env() }).status).not.toBe(0);

    // A database password is rotated only with the value already set in the database.
    const refused = runSync('bash', [secretsScript, 'rotate', 'notes-db'], { env: env() });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/--from-file/);
    const pwFile = join(work, 'new-pw');
    writeFileSync(pwFile, 'Abcdefghijklmnop0123456789xyz\n', { mode: 0o600 });
    const db = runSync('bash', [secretsScript, 'rotate', 'notes-db', '--from-file', pwFile], { env: env() });
    expect(db.status, db.stderr).toBe(0);
    expect(db.stdout).toContain('NOTES_DB_PASSWORD_V=v2');
    expect(stored('notes_notes_db_password_v2')).toBe('Abcdefghijklmnop0123456789xyz');
    expect(readFileSync(log, 'utf8')).not.toContain('Abcdefghijklmnop');
  });
});

describe('swarm-build-push.sh', () => {
  const script = join(ROOT, 'scripts', 'swarm-build-push.sh');

  it('builds both images from their Dockerfiles, tags them for $REGISTRY and pushes both', () => {
    const r = runSync('bash', [script, '--tag', 'abc123def456', '--allow-dirty'], {
      env: env({ REGISTRY: 'reg.test:5000/notes/' }),
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^TAG=abc123def456$/m);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const builds = calls.filter((c) => c.startsWith('build '));
    expect(builds).toHaveLength(2);
    expect(builds[0]).toMatch(
      /-f services\/notes\/Dockerfile .*-t reg\.test:5000\/notes\/svc-notes:abc123def456 \.$/,
    );
    expect(builds[1]).toMatch(
      /-f services\/userauth\/Dockerfile .*-t reg\.test:5000\/notes\/svc-userauth:abc123def456 \.$/,
    );
    expect(calls.filter((c) => c.startsWith('push '))).toEqual([
      'push reg.test:5000/notes/svc-notes:abc123def456',
      'push reg.test:5000/notes/svc-userauth:abc123def456',
    ]);
  });

  it('refuses the tag latest and a missing REGISTRY, before building anything', () => {
    const latest = runSync('bash', [script, '--tag', 'latest', '--allow-dirty'], {
      env: env({ REGISTRY: 'reg.test' }),
    });
    expect(latest.status).not.toBe(0);
    expect(latest.stderr).toMatch(/latest/);
    const noRegistry = runSync('bash', [script, '--tag', 'x1', '--allow-dirty'], { env: env() });
    expect(noRegistry.status).not.toBe(0);
    expect(noRegistry.stderr).toMatch(/REGISTRY is not set/);
    expect(readFileSync(log, 'utf8')).not.toMatch(/^build /m);
  });
});

describe.skipIf(stackConfig.skip || openssl.skip)('swarm-deploy.sh', () => {
  const envFile = join(work, 'stack.env');
  const stack = 'swtest';
  const rendered = join(ROOT, 'compose-swarm', '.rendered');
  afterAll(() => {
    for (const f of ['resolved.yml', 'deploy.yml', 'render.log'])
      rmSync(join(rendered, `${stack}.${f}`), { force: true });
  });

  function writeEnv(overrides: Record<string, string>) {
    const lines = readFileSync(STACK_ENV_EXAMPLE, 'utf8')
      .split('\n')
      .map((l) => {
        const k = l.split('=')[0]!;
        return k in overrides ? `${k}=${overrides[k]}` : l;
      });
    writeFileSync(envFile, lines.join('\n'));
  }

  it('refuses without an env file, without a real TAG, or with fewer than 2 replicas', () => {
    if (stackConfig.missing) throw new Error(stackConfig.missing);
    const none = runSync('bash', [deployScript, '--env-file', join(work, 'missing.env')], { env: env() });
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/no env file/);
    writeEnv({ REGISTRY: 'reg.test/notes', TAG: 'latest', STACK_NAME: stack });
    const latest = runSync('bash', [deployScript, '--env-file', envFile], { env: env() });
    expect(latest.stderr).toMatch(/TAG=latest/);
    writeEnv({ REGISTRY: 'reg.test/notes', TAG: 'abc', NOTES_REPLICAS: '1', STACK_NAME: stack });
    const one = runSync('bash', [deployScript, '--env-file', envFile], { env: env() });
    expect(one.stderr).toMatch(/NOTES_REPLICAS must be a number >= 2/);
    expect(readFileSync(log, 'utf8')).not.toMatch(/stack deploy/);
  });

  it('refuses to deploy while a secret is missing, naming it', () => {
    if (stackConfig.missing) throw new Error(stackConfig.missing);
    writeEnv({ REGISTRY: 'reg.test/notes', TAG: 'abc123', STACK_NAME: stack, NOTES_SESSION_SECRET_V: 'v2' });
    expect(runSync('bash', [secretsScript, 'create', '--self-signed', 'x.test'], { env: env() }).status).toBe(
      0,
    );
    const r = runSync('bash', [deployScript, '--env-file', envFile], { env: env() });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/missing secrets: notes_notes_session_secret_v2/);
    expect(readFileSync(log, 'utf8')).not.toMatch(/stack deploy/);
  });

  it('renders the variables, deploys exactly the rendered file and waits for jobs and replicas', () => {
    if (stackConfig.missing) throw new Error(stackConfig.missing);
    writeEnv({ REGISTRY: 'reg.test/notes', TAG: 'abc123', STACK_NAME: stack, NOTES_REPLICAS: '3' });
    expect(runSync('bash', [secretsScript, 'create', '--self-signed', 'x.test'], { env: env() }).status).toBe(
      0,
    );
    // A variable set in the caller's environment wins over the env file.
    const r = runSync('bash', [deployScript, '--env-file', envFile], { env: env({ TAG: 'fromshell' }) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/migrate-userauth: complete/);
    expect(r.stdout).toMatch(/stack swtest is up/);
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(
      new RegExp(`stack deploy --with-registry-auth -c \\S+/${stack}\\.deploy\\.yml ${stack}`),
    );
    const deployed = readFileSync(join(work, 'deployed.yml'), 'utf8');
    expect(deployed).toContain('image: reg.test/notes/svc-notes:fromshell');
    expect(deployed).toContain('image: reg.test/notes/svc-userauth:fromshell');
    expect(deployed).toMatch(/replicas: 3/);
    expect(deployed).toMatch(/name: notes_nginx_conf_[0-9a-f]{12}/);
    expect(deployed).toContain("$$(sed -n 's/^requirepass //p' /run/secrets/redis.conf)");
    expect(deployed).not.toMatch(/\$\{/);
    expect(existsSync(join(rendered, `${stack}.resolved.yml`))).toBe(true);
    // The file `docker stack deploy` receives is the rendered one, $ escaped for its second pass:
    // the real loader reads it back to the same configuration.
    const back = runSync(realDocker, ['stack', 'config', '-c', join(rendered, `${stack}.deploy.yml`)]);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toBe(readFileSync(join(rendered, `${stack}.resolved.yml`), 'utf8'));
  });
});
