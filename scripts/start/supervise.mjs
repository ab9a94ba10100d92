// The services as child processes: started together, ready when their /readyz answers 200,
// stopped together (SIGTERM; each one shuts down gracefully and exits 0).
import { spawn } from 'node:child_process';

const alive = (child) => child.exitCode === null && child.signalCode === null;
const how = (code, signal) => (signal ? `signal ${signal}` : `exit code ${code}`);

/**
 * `report(line)` prints one line on stderr. `onAllExited(ok)` runs once every started child has
 * exited: ok when each ended with 0 or by a signal while stopping was requested.
 */
export function createSupervisor({ report, onAllExited }) {
  const children = new Map();
  let stopping = false;
  let ok = true;

  function stopAll() {
    stopping = true;
    for (const child of children.values()) if (alive(child)) child.kill('SIGTERM');
    if (children.size === 0) onAllExited(ok);
  }

  function start(name, script, env) {
    const child = spawn(process.execPath, [script], { env, stdio: 'inherit' });
    children.set(name, child);
    child.once('exit', (code, signal) => {
      children.delete(name);
      if (!stopping) {
        ok = false;
        report(`${name} stopped unexpectedly (${how(code, signal)}); stopping the rest`);
        stopAll();
      } else if (code !== 0 && code !== null) {
        ok = false;
        report(`${name} did not stop cleanly (${how(code, signal)})`);
      }
      if (children.size === 0) onAllExited(ok);
    });
    return child;
  }

  /**
   * Polls url until it answers 200. Resolves undefined when ready, else the reason: the child
   * ended (it has printed why), stopping was requested, or timeoutMs passed.
   */
  async function waitReady(name, child, url, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (stopping) return 'stopping';
      if (!alive(child))
        return `${name} stopped before it was ready (${how(child.exitCode, child.signalCode)})`;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.ok) return undefined;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return `${name} did not answer ${url} within ${Math.round(timeoutMs / 1000)} s (see its log above)`;
  }

  return {
    start,
    stopAll,
    waitReady,
    get stopping() {
      return stopping;
    },
  };
}
