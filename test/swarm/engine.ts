import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never throws for a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Run {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? String(r.error) : ''),
  };
}

/**
 * The same without blocking the test worker: long commands (builds, compose up) must not stall
 * vitest's own messaging, which times out when the worker's event loop is held for minutes.
 */
export function runAsync(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => {
      stderr += `\n(timed out after ${opts.timeoutMs ?? 120_000} ms)`;
      child.kill('SIGTERM');
    }, opts.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ status: null, stdout, stderr: stderr + String(err) });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * The stand-in engine's API socket, when DOCKER_HOST is not set: .ci/run exports DOCKER_HOST after
 * setting the engine up; a developer who ran the setup in another shell still gets the tests.
 */
function dockerEnv(): NodeJS.ProcessEnv {
  if (process.env.DOCKER_HOST) return process.env;
  const socket = '/run/podman/podman.sock';
  return existsSync(socket) ? { ...process.env, DOCKER_HOST: `unix://${socket}` } : process.env;
}

export const DOCKER_ENV = dockerEnv();

export function docker(args: string[], opts: { input?: string; timeoutMs?: number; cwd?: string } = {}): Run {
  return run('docker', args, { ...opts, env: DOCKER_ENV });
}

export function dockerAsync(args: string[], opts: { timeoutMs?: number; cwd?: string } = {}): Promise<Run> {
  return runAsync('docker', args, { ...opts, env: DOCKER_ENV });
}

export function hasCommand(cmd: string, args = ['--version']): boolean {
  return run(cmd, args, { timeoutMs: 20_000 }).status === 0;
}

/** True when a Docker-compatible engine answers (not just a CLI). */
export function engineReachable(): boolean {
  const r = docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
  return r.status === 0 && r.stdout.trim() !== '';
}

/**
 * Whether tests needing `what` may run. Without it they are skipped on a developer's machine, but
 * under CI (CI set) a missing prerequisite is a failure: the test is kept and fails with the reason.
 */
export function requirement(
  available: boolean,
  what: string,
): { skip: boolean; missing: string | undefined } {
  if (available) return { skip: false, missing: undefined };
  if (process.env.CI) return { skip: false, missing: `${what} is not available, and CI is set` };
  return { skip: true, missing: what };
}

/** Makes a throwaway self-signed certificate for host names localhost and 127.0.0.1. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  const r = run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  return { cert, key };
}
