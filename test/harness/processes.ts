import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, stdout and stderr interleaved. */
  output: () => string;
  /** SIGTERM, wait for exit; resolves with the exit code (SIGKILL after timeoutMs). */
  stop: (timeoutMs?: number) => Promise<number | null>;
}

/**
 * Runs a built service entry point (e.g. services/userauth/dist/main.js) as a real process and
 * waits until `readyPath` answers 200. `port` must be the PORT given in env.
 */
export async function startServiceProcess(options: {
  script: string;
  env: Record<string, string>;
  port: number;
  readyPath?: string;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [resolve(REPO_ROOT, options.script)], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...options.env,
      PORT: String(options.port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${options.port}`;
  const output = () => out;
  const exit = await waitUntilReady(child, url + (options.readyPath ?? '/readyz'), {
    label: options.script,
    output,
    timeoutMs: options.timeoutMs ?? 20_000,
  });
  return { url, child, output, stop: exit.stop };
}

export interface ExitWatch {
  /** undefined while the process runs. */
  exitCode: () => number | null | undefined;
  /** SIGTERM, SIGKILL after timeoutMs (default 12 s); resolves with the exit code. */
  stop: (timeoutMs?: number) => Promise<number | null>;
}

/** Follows a child process's exit, and stops it at most once. */
export function watchExit(child: ChildProcess): ExitWatch {
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      exitCode = code;
      r(code);
    }),
  );
  return {
    exitCode: () => exitCode,
    stop: async (timeoutMs = 12_000) => {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * Polls `url` every intervalMs (default 100) until it answers 2xx; resolves with the process's
 * exit watch. Throws with the process's output when it exits first, or when timeoutMs pass
 * (after SIGKILL).
 */
export async function waitUntilReady(
  child: ChildProcess,
  url: string,
  o: { label: string; output: () => string; timeoutMs: number; intervalMs?: number },
): Promise<ExitWatch> {
  const exit = watchExit(child);
  const deadline = performance.now() + o.timeoutMs;
  for (;;) {
    const code = exit.exitCode();
    if (code !== undefined) throw new Error(`${o.label} exited (${code}) before ready:\n${o.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return exit;
    } catch {
      /* not listening yet */
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${o.label} not ready after ${o.timeoutMs} ms:\n${o.output()}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 100));
  }
}
