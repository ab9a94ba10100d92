// Is a port free? Asked before the services start, so that a busy port is one line, not a stack.
import { createServer } from 'node:net';

/** undefined when host:port can be listened on; else the line that says what to do. */
export function portProblem(port, host, variable) {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', (err) => {
      if (err.code === 'EADDRINUSE')
        resolvePromise(
          `port ${port} is in use (another Notes may be running): set ${variable} to a free port`,
        );
      else if (err.code === 'EACCES')
        resolvePromise(`port ${port} needs privileges: set ${variable} to a port above 1023`);
      else if (err.code === 'EADDRNOTAVAIL')
        resolvePromise(`${host} is not an address of this machine: set HOST (e.g. 127.0.0.1 or 0.0.0.0)`);
      else resolvePromise(`cannot listen on ${host}:${port} (${err.code ?? err.message}): set ${variable}`);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolvePromise(undefined)));
  });
}

/** A port number from the environment, or a line saying what is wrong with it. */
export function parsePort(value, fallback, variable) {
  if (value === undefined || value === '') return { port: fallback };
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return { problem: `${variable}=${value} is not a port number (1-65535)` };
  return { port };
}
