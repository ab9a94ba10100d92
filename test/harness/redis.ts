import { startDaemon } from './daemon.js';
import { freePort } from './free-port.js';
import type { Throwaway } from './mariadb.js';
import { which } from './which.js';

/** Starts a private, memory-only redis-server on a free loopback port. */
export async function startRedis(options: { password?: string } = {}): Promise<Throwaway> {
  const server = which('redis-server');
  if (!server) {
    throw new Error(
      'Redis is not installed: install redis-server (apt-get install redis-server) or set TEST_REDIS_URL=redis://host:port',
    );
  }
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (options.password) args.push('--requirepass', options.password);
  const daemon = await startDaemon('throwaway Redis', server, args, port, 10_000);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    stop: daemon.stop,
  };
}
