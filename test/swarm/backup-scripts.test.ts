/**
 * scripts/swarm-backup.sh and scripts/swarm-restore.sh, run for real against a stand-in `docker`
 * on PATH (no swarm exists here), in the style of scripts.test.ts: the stand-in plays three
 * stores on two nodes, logs every command line, answers dumps and snapshots, and records what
 * the restore feeds back. Proves the order of the steps, that each dump and load runs inside the
 * store's container with the password read there, the SSH hop to another node, --keep pruning,
 * the off-host copy hook, and the refusals. The same dump/load commands run for real against
 * MariaDB in test/stack (compose-local).
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
import { runSync as run } from '@notes/testkit/docker';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './stack-file.js';

const work = mkdtempSync(join(tmpdir(), 'notes-swarm-backup-'));
const bin = join(work, 'bin');
const log = join(work, 'docker.log');
const state = join(work, 'state');
const backups = join(work, 'backups');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The stand-in docker: db-userauth and redis on node1 (this node), db-notes on node2. */
const FAKE_DOCKER = `#!/usr/bin/env bash
set -euo pipefail
printf '%s\\n' "$*" >> "$FAKE_LOG"
host=local
if [ "$1" = -H ]; then host="$2"; shift 2; fi
node_of() { case "$1" in *db-notes) echo node2 ;; *) echo node1 ;; esac; }
case "$1 \${2:-}" in
  "info "*) echo node1 ;;
  "service ps")
    svc="$3"; [ -z "\${FAKE_NO_TASK:-}" ] || exit 0
    echo "task-\${svc#*_} $(node_of "$svc")" ;;
  "inspect --format") echo "ctr-\${4#task-}" ;;
  "service inspect")
    case "\${@: -1}" in
      *svc-notes) echo 3 ;; *svc-userauth) echo 2 ;; *redis) echo "redis:7@sha256:abc" ;;
    esac ;;
  "service scale") echo "$*" >> "$FAKE_STATE/scales" ;;
  "exec ctr-db-"*|"exec -i")
    [ "$2" = -i ] && { ctr="$3"; shift 3; } || { ctr="$2"; shift 2; }
    case "$ctr" in ctr-db-notes) [ "$host" = "ssh://\${FAKE_SSH_USER}node2" ] || { echo "db-notes is on node2, not $host" >&2; exit 1; } ;; esac
    [ "$1 $2" = "sh -c" ] || { echo "expected sh -c" >&2; exit 1; }
    script="$3"
    case "$script" in
      *'cat "/run/secrets/$1"'*) ;;
      *) echo "the password must be read inside the container" >&2; exit 1 ;;
    esac
    if [ "$4" = dump ]; then
      case "$script" in *mariadb-dump*--single-transaction*) ;; *) echo "not mariadb-dump" >&2; exit 1 ;; esac
      printf -- '-- dump of %s (%s)\\nCREATE DATABASE %s;\\n-- Dump completed on 2025-01-01\\n' "$6" "$5" "$6"
    else
      case "$script" in *'exec mariadb -uroot'*) ;; *) echo "not mariadb" >&2; exit 1 ;; esac
      cat > "$FAKE_STATE/loaded-$ctr"
    fi ;;
  "exec ctr-redis") printf 'REDIS0011fake-snapshot' ;;
  "run --rm")
    [[ "$*" == *"-v swtest_redis-data:/data"* && "$*" == *"redis:7@sha256:abc"* ]] || { echo "bad run: $*" >&2; exit 1; }
    cat > "$FAKE_STATE/loaded-redis" ;;
  *) echo "fake docker: unsupported: $*" >&2; exit 1 ;;
esac
`;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_LOG: log,
    FAKE_STATE: state,
    FAKE_SSH_USER: '',
    STACK_NAME: 'swtest',
    ...extra,
  };
  for (const k of ['DOCKER_HOST', 'NOTES_BACKUP_COPY_CMD', 'NOTES_SWARM_SSH_USER'])
    if (!(k in extra)) delete e[k];
  return e;
}
const backupScript = join(ROOT, 'scripts/swarm-backup.sh');
const restoreScript = join(ROOT, 'scripts/swarm-restore.sh');

beforeEach(() => {
  for (const d of [state, backups]) {
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
  }
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
  chmodSync(join(bin, 'docker'), 0o755);
  writeFileSync(log, '');
});

describe('swarm backup and restore scripts', () => {
  for (const file of [backupScript, restoreScript]) {
    it(`${file.split('/').at(-1)}: parses, is strict, answers --help, refuses unknown options`, () => {
      expect(run('bash', ['-n', file]).status).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(/^set -euo pipefail$/m);
      const help = run('bash', [file, '--help']);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/^Usage: scripts\//);
      expect(run('bash', [file, '--no-such-option'], { env: env() }).status).not.toBe(0);
    });
  }

  it('backs up every store inside its container (another node over SSH), copies off-host, prunes to --keep', () => {
    for (const old of ['20200101T000000Z', '20200102T000000Z']) {
      mkdirSync(join(backups, old));
      writeFileSync(join(backups, old, 'SHA256SUMS'), '');
    }
    mkdirSync(join(backups, 'not-a-backup'));
    const offsite = join(work, 'offsite');
    rmSync(offsite, { recursive: true, force: true });
    mkdirSync(offsite);
    const r = run('bash', [backupScript, '--dir', backups, '--keep', '2'], {
      env: env({
        NOTES_SWARM_SSH_USER: 'ops',
        FAKE_SSH_USER: 'ops@',
        NOTES_BACKUP_COPY_CMD: `cp -a "$1" ${offsite}/`,
      }),
    });
    expect(r.status, r.stderr).toBe(0);
    const folder = r.stdout.trim().split('\n').at(-1)!;
    const name = folder.slice(backups.length + 1);
    expect(name).toMatch(/^\d{8}T\d{6}Z$/);
    expect(readdirSync(folder).sort()).toEqual([
      'SHA256SUMS',
      'db-notes.sql.gz',
      'db-userauth.sql.gz',
      'redis.rdb',
    ]);
    expect(run('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: folder }).status).toBe(0);
    expect(run('bash', ['-c', `gzip -dc ${folder}/db-notes.sql.gz`]).stdout).toContain(
      '-- dump of notes (db_notes_root_password)',
    );
    expect(readFileSync(join(folder, 'redis.rdb'), 'utf8')).toBe('REDIS0011fake-snapshot');
    // --keep 2: the new one and the newest old one; other folders are never touched.
    expect(readdirSync(backups).sort()).toEqual(
      ['20200102T000000Z', name, 'last-success.prom', 'not-a-backup'].sort(),
    );
    expect(readdirSync(offsite)).toEqual([name]);
    expect(readFileSync(join(backups, 'last-success.prom'), 'utf8')).toMatch(
      /^notes_backup_last_success_timestamp_seconds \d{10}$/m,
    );
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(/^-H ssh:\/\/ops@node2 exec ctr-db-notes sh -c /m);
    expect(calls).toMatch(/^exec ctr-db-userauth sh -c /m);
  });

  it('a failed off-host copy fails the backup and prunes nothing; a store without a task fails clearly', () => {
    mkdirSync(join(backups, '20200101T000000Z'));
    writeFileSync(join(backups, '20200101T000000Z', 'SHA256SUMS'), '');
    const r = run('bash', [backupScript, '--dir', backups, '--keep', '1'], {
      env: env({ NOTES_BACKUP_COPY_CMD: 'exit 4' }),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('NOTES_BACKUP_COPY_CMD failed (exit 4)');
    expect(existsSync(join(backups, '20200101T000000Z'))).toBe(true);
    expect(existsSync(join(backups, 'last-success.prom'))).toBe(false);
    const other = join(work, 'other-backups');
    rmSync(other, { recursive: true, force: true });
    mkdirSync(other);
    const none = run('bash', [backupScript, '--dir', other], { env: env({ FAKE_NO_TASK: '1' }) });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('swtest_db-userauth has no running task');
    expect(readdirSync(other), 'the incomplete folder is removed').toEqual([]);
  });

  it('restores: apps scaled to 0, both dumps loaded inside the databases, redis reloaded in its volume, apps scaled back', () => {
    const made = run('bash', [backupScript, '--dir', backups], { env: env() });
    expect(made.status, made.stderr).toBe(0);
    const folder = made.stdout.trim().split('\n').at(-1)!;
    writeFileSync(log, '');

    const refused = run('bash', [restoreScript, folder], { env: env(), input: '' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('refusing to overwrite data without --yes');

    const r = run('bash', [restoreScript, '--yes', folder], { env: env() });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(state, 'loaded-ctr-db-notes'), 'utf8')).toContain('CREATE DATABASE notes;');
    expect(readFileSync(join(state, 'loaded-ctr-db-userauth'), 'utf8')).toContain(
      'CREATE DATABASE userauth;',
    );
    expect(readFileSync(join(state, 'loaded-redis'), 'utf8')).toBe('REDIS0011fake-snapshot');
    expect(readFileSync(join(state, 'scales'), 'utf8').trim().split('\n')).toEqual([
      'service scale --detach=false swtest_svc-notes=0 swtest_svc-userauth=0',
      'service scale --detach=false swtest_redis=0',
      'service scale --detach=false swtest_redis=1',
      'service scale --detach=false swtest_svc-userauth=2',
      'service scale --detach=false swtest_svc-notes=3',
    ]);
    const calls = readFileSync(log, 'utf8').split('\n');
    const firstLoad = calls.findIndex((l) => l.includes('exec -i ctr-db-userauth'));
    const appsDown = calls.findIndex((l) => l.includes('svc-notes=0'));
    expect(appsDown).toBeGreaterThanOrEqual(0);
    expect(firstLoad, 'nothing is loaded while the apps still run').toBeGreaterThan(appsDown);

    writeFileSync(join(folder, 'redis.rdb'), 'tampered');
    const bad = run('bash', [restoreScript, '--yes', folder], { env: env() });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('checksums do not match');
  });
});
