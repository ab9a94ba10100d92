import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RestartableDaemon, restartableDaemon } from './daemon.js';
import { freePort } from './free-port.js';
import { which } from './which.js';

const run = promisify(execFile);

export interface Throwaway {
  url: string;
  stop: () => Promise<void>;
}

/** A throwaway server whose process fault tests stop and start again (same port, same data). */
export interface Restartable extends Throwaway, RestartableDaemon {}

/**
 * Starts a private MariaDB server in a temporary folder on a free loopback port (root, no
 * password, reachable only from this machine) and returns its URL. Never touches the machine's
 * shared instance.
 */
export async function startMariadb(): Promise<Restartable> {
  const installDb = which('mariadb-install-db') ?? which('mysql_install_db');
  const server = which('mariadbd') ?? which('mysqld');
  if (!installDb || !server) {
    throw new Error(
      'MariaDB is not installed: install mariadb-server (apt-get install mariadb-server) or set TEST_MYSQL_URL=mysql://root@host:port/',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'notes-test-mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run(installDb, [
    '--no-defaults',
    `--datadir=${datadir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
    ...asRoot,
  ]);
  const port = await freePort();
  const daemon = restartableDaemon(
    'throwaway MariaDB',
    server,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--innodb-buffer-pool-size=64M',
      '--innodb-log-file-size=16M',
      '--innodb-flush-log-at-trx-commit=2',
      // Full-text search (services/notes/src/search/search-dialect.ts) indexes every word: the
      // defaults drop words under 3 characters ("to", "C", a two-character CJK piece) and InnoDB's
      // stop words ("the", "be", "or"), so such searches would find nothing. Same as the stacks.
      '--innodb-ft-min-token-size=1',
      '--innodb-ft-enable-stopword=OFF',
      '--skip-log-bin',
      '--max-connections=500',
      // Its temporary tables in its own folder: files in the shared temporary folder can be
      // removed under it by others (a bench run once failed on a vanished #sql-temptable file).
      `--tmpdir=${dir}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      ...asRoot,
    ],
    port,
    30_000,
  );
  try {
    await daemon.startServer();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `mysql://root@127.0.0.1:${port}/`,
    ...daemon,
    stop: async () => {
      await daemon.stopServer();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
