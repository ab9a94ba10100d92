import { spawn } from 'node:child_process';
import { waitForPort } from './free-port.js';

export interface Daemon {
  /** SIGTERM, SIGKILL after 10 s; resolves once the process has exited. Safe to call twice. */
  stop: () => Promise<void>;
}

/**
 * Spawns a throwaway server (output ignored) and resolves once it accepts TCP connections on
 * 127.0.0.1:port; when it does not within timeoutMs it is killed and the error names `what`.
 */
export async function startDaemon(
  what: string,
  command: string,
  args: string[],
  port: number,
  timeoutMs: number,
): Promise<Daemon> {
  const child = spawn(command, args, { stdio: 'ignore' });
  let exited = false;
  const done = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  try {
    await waitForPort(port, '127.0.0.1', timeoutMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${what} did not start: ${(err as Error).message}`);
  }
  return {
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}
