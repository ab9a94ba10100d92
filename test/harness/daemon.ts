import { spawn } from 'node:child_process';
import { waitForPort } from './free-port.js';

/** A throwaway server whose process can be stopped and started again on the same port and data. */
export interface RestartableDaemon {
  /** Starts the process (stopping a running one first); resolves once it accepts connections. */
  startServer: () => Promise<void>;
  /** Stops the process (SIGTERM, or SIGKILL with `kill`); resolves once it has exited. */
  stopServer: (options?: { kill?: boolean }) => Promise<void>;
}

/**
 * A throwaway server (output ignored) that is started by startServer(), which resolves once it
 * accepts TCP connections on 127.0.0.1:port; when it does not within timeoutMs it is killed and the
 * error names `what`. Fault tests stop and start the same command line again.
 */
export function restartableDaemon(
  what: string,
  command: string,
  args: string[],
  port: number,
  timeoutMs: number,
): RestartableDaemon {
  let running: { child: ReturnType<typeof spawn>; exited: Promise<void> } | undefined;
  const stopServer = async (options: { kill?: boolean } = {}) => {
    const current = running;
    running = undefined;
    if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
    current.child.kill(options.kill ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => current.child.kill('SIGKILL'), 15_000);
    await current.exited;
    clearTimeout(timer);
  };
  const startServer = async () => {
    await stopServer();
    const child = spawn(command, args, { stdio: 'ignore' });
    running = { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
    try {
      await waitForPort(port, '127.0.0.1', timeoutMs);
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`${what} did not start: ${(err as Error).message}`);
    }
  };
  return { startServer, stopServer };
}
