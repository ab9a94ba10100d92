import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * DOCKER_HOST for the engine: as exported (by .ci/run after the stand-in's setup), otherwise the
 * stand-in's socket when it exists, otherwise the CLI's default.
 */
export function dockerEnv(): NodeJS.ProcessEnv {
  if (process.env.DOCKER_HOST) return { ...process.env };
  const socket = '/run/podman/podman.sock';
  return existsSync(socket) ? { ...process.env, DOCKER_HOST: `unix://${socket}` } : { ...process.env };
}

/** Runs a command without a shell; resolves with its output whatever the exit code. */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string | Buffer; timeoutMs?: number; cwd?: string } = {},
): Promise<Result> {
  return new Promise((ok) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? dockerEnv(),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      err.push(Buffer.from(`\n[test] ${cmd} ${args.join(' ')}: killed after ${opts.timeoutMs} ms`));
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      err.push(Buffer.from(String(e)));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // a command may exit before reading all of its input
      child.stdin.end(opts.input);
    }
  });
}

/** Like run, but throws with the command's output when it exits non-zero. */
export async function must(
  cmd: string,
  args: string[],
  opts: Parameters<typeof run>[2] = {},
): Promise<Result> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
    );
  }
  return r;
}

/** True when a Docker-compatible engine answers (not just a CLI). */
export async function engineReachable(): Promise<boolean> {
  const r = await run('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
  return r.code === 0 && r.stdout.trim() !== '';
}

/**
 * Stack tests run whenever an engine is reachable. Without one they are skipped on a developer's
 * machine, but under CI (CI set) that is a failure: .ci/run must have set the engine up.
 */
export function requirement(available: boolean): { skip: boolean; missing?: string } {
  if (available) return { skip: false };
  if (process.env.CI) {
    return { skip: false, missing: 'no Docker-compatible engine is reachable, and CI is set' };
  }
  return { skip: true };
}
