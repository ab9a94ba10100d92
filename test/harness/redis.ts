import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restartableDaemon } from './daemon.js';
import { freePort } from './free-port.js';
import type { Restartable } from './mariadb.js';
import { which } from './which.js';

/**
 * Starts a private redis-server on a free loopback port: memory-only, or with `appendOnly` an
 * append-only file fsynced on every write in a temporary folder, so that what it acknowledged
 * survives stopServer()/startServer() (fault tests).
 */
export async function startRedis(
  options: { password?: string; appendOnly?: boolean } = {},
): Promise<Restartable> {
  const server = which('redis-server');
  if (!server) {
    throw new Error(
      'Redis is not installed: install redis-server (apt-get install redis-server) or set TEST_REDIS_URL=redis://host:port',
    );
  }
  const port = await freePort();
  const dir = options.appendOnly ? await mkdtemp(join(tmpdir(), 'notes-test-redis-')) : undefined;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
  if (dir) args.push('--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always');
  else args.push('--appendonly', 'no');
  if (options.password) args.push('--requirepass', options.password);
  const daemon = restartableDaemon('throwaway Redis', server, args, port, 10_000);
  const cleanup = async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  try {
    await daemon.startServer();
  } catch (err) {
    await cleanup();
    throw err;
  }
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    ...daemon,
    stop: async () => {
      await daemon.stopServer();
      await cleanup();
    },
  };
}
