import { StartupError } from './database-ready.js';

/**
 * A failed `listen` as one line (a StartupError, which the services print without a stack) when it
 * is something the person starting the service can fix: the port is taken or needs privileges.
 * Anything else comes back unchanged.
 */
export function listenError(err: unknown, port: number, host: string, variable = 'PORT'): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return new StartupError(
      `port ${port} on ${host} is in use (another instance may be running): set ${variable} to a free port`,
    );
  if (code === 'EACCES')
    return new StartupError(`port ${port} on ${host} needs privileges: set ${variable} to a port above 1023`);
  if (code === 'EADDRNOTAVAIL')
    return new StartupError(
      `${host} is not an address of this machine: set HOST (e.g. 127.0.0.1 or 0.0.0.0)`,
    );
  return err;
}
