import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT, waitUntilReady } from '@notes/testkit';

export interface BenchProcess {
  label: string;
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Milliseconds from spawn until readyPath first answered 200. */
  readyMs: number;
  output: () => string;
  /** SIGTERM, then SIGKILL after timeoutMs; resolves with the exit code. */
  stop: (timeoutMs?: number) => Promise<number | null>;
}

export interface SpawnOptions {
  label: string;
  /** Script path relative to the repository root. */
  script: string;
  port: number;
  env: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof, --import tsx). */
  nodeArgs?: string[];
  /** Folder for the process's log file (`<label>.log`, stdout and stderr together). */
  logDir: string;
  readyPath?: string;
  timeoutMs?: number;
}

const TAIL = 20_000;

/**
 * Runs a script as its own node process and polls readyPath every 20 ms, so that cold start is
 * measured to the nearest few milliseconds. Its output goes straight to a log file, so that the
 * benchmark process never spends time reading a service's logs.
 */
export async function spawnService(options: SpawnOptions): Promise<BenchProcess> {
  const logFile = join(options.logDir, `${options.label}.log`);
  const fd = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), resolve(REPO_ROOT, options.script)], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      ...options.env,
      PORT: String(options.port),
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const output = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-TAIL);
    } catch {
      return '';
    }
  };
  const url = `http://127.0.0.1:${options.port}`;
  const exit = await waitUntilReady(child, url + (options.readyPath ?? '/readyz'), {
    label: options.label,
    output,
    timeoutMs: options.timeoutMs ?? 30_000,
    intervalMs: 20,
  });
  const readyMs = performance.now() - started;
  return {
    label: options.label,
    url,
    port: options.port,
    pid: child.pid!,
    child,
    readyMs,
    output,
    stop: exit.stop,
  };
}
