/**
 * The one helper for tests that drive a Docker-compatible engine or other command-line tools
 * (the compose-local stack tests and the swarm checks): commands without a shell, the engine's
 * environment, and the "skip on a laptop, fail under CI" rule for missing prerequisites.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO_ROOT } from './processes.js';

export interface CommandResult {
  /** Exit code; null when the command could not start or was killed. */
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Default: the repository root. */
  cwd?: string;
  /** Default: this process's environment (use DOCKER_ENV or dockerEnv() for the engine). */
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Default 120 s; then the command is killed and the result says so. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Runs a command without a shell and without blocking the worker (long commands such as builds
 * and compose up must not stall vitest's own messaging); resolves whatever the exit code.
 */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      err.push(Buffer.from(`\n[test] ${cmd} ${args.join(' ')}: killed after ${timeoutMs} ms`));
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      err.push(Buffer.from(String(e)));
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // a command may exit before reading all of its input
      child.stdin.end(opts.input);
    }
  });
}

/** The same, blocking: for quick commands in a test's body or at collection time. */
export function runSync(cmd: string, args: string[], opts: RunOptions = {}): CommandResult {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: opts.env ?? process.env,
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? String(r.error) : ''),
  };
}

/** Like run, but throws with the command's output when it exits non-zero. */
export async function must(cmd: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
  const r = await run(cmd, args, opts);
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.status}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
    );
  }
  return r;
}

/**
 * The environment for the engine: DOCKER_HOST as exported (by .ci/run after the stand-in's
 * setup), otherwise the stand-in's socket when it exists (a developer who ran the setup in
 * another shell), otherwise the CLI's default.
 */
export function dockerEnv(): NodeJS.ProcessEnv {
  if (process.env.DOCKER_HOST) return { ...process.env };
  const socket = '/run/podman/podman.sock';
  return existsSync(socket) ? { ...process.env, DOCKER_HOST: `unix://${socket}` } : { ...process.env };
}

export const DOCKER_ENV = dockerEnv();

/** `docker …` against the engine, blocking. */
export function docker(args: string[], opts: Omit<RunOptions, 'env'> = {}): CommandResult {
  return runSync('docker', args, { ...opts, env: DOCKER_ENV });
}

/** `docker …` against the engine, without blocking. */
export function dockerAsync(args: string[], opts: Omit<RunOptions, 'env'> = {}): Promise<CommandResult> {
  return run('docker', args, { ...opts, env: DOCKER_ENV });
}

/** True when `cmd args` runs and exits 0 (e.g. a CLI is installed). */
export function hasCommand(cmd: string, args = ['--version']): boolean {
  return runSync(cmd, args, { timeoutMs: 20_000 }).status === 0;
}

/** True when a Docker-compatible engine answers (not just a CLI). */
export function engineReachable(): boolean {
  const r = docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
  return r.status === 0 && r.stdout.trim() !== '';
}

/**
 * Whether tests needing `what` may run. Without it they are skipped on a developer's machine, but
 * under CI (CI set) a missing prerequisite is a failure: the tests are kept and fail with the reason.
 */
export function requirement(
  available: boolean,
  what: string,
): { skip: boolean; missing: string | undefined } {
  if (available) return { skip: false, missing: undefined };
  if (process.env.CI) return { skip: false, missing: `${what} is not available, and CI is set` };
  return { skip: true, missing: what };
}
