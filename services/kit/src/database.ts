import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Options, Sequelize } from 'sequelize';

export interface DatabaseOptions {
  /** `sqlite:./path/file.sqlite`, `sqlite::memory:` or `mysql://user[:pass]@host:port/db`. */
  url: string;
  /** Replaces the password in a mysql URL (from *_DB_PASSWORD / *_DB_PASSWORD_FILE). */
  password?: string | undefined;
  /** Connection pool size for MySQL. */
  poolMax?: number;
  /** Called with each SQL statement; off by default (SQL never goes to the logs). */
  logging?: false | ((sql: string) => void);
}

export function isSqliteUrl(url: string): boolean {
  return url.startsWith('sqlite:');
}

/** Opens (lazily) a Sequelize instance for either dialect; the same code serves both modes. */
export function openDatabase(options: DatabaseOptions): Sequelize {
  const common: Options = {
    logging: options.logging ?? false,
    define: { underscored: false, freezeTableName: true },
  };
  if (isSqliteUrl(options.url)) {
    const target = options.url.slice('sqlite:'.length);
    const storage = target === ':memory:' || target === '' ? ':memory:' : resolve(target);
    if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
    const db = new Sequelize({ ...common, dialect: 'sqlite', storage, pool: { max: 1, min: 0 } });
    db.addHook('afterConnect', async (connection: unknown) => {
      const conn = connection as { run: (sql: string, cb: (err: Error | null) => void) => void };
      const run = (sql: string) =>
        new Promise<void>((ok, fail) => conn.run(sql, (err) => (err ? fail(err) : ok())));
      await run('PRAGMA foreign_keys = ON');
      await run('PRAGMA busy_timeout = 5000');
      if (storage !== ':memory:') await run('PRAGMA journal_mode = WAL');
    });
    return db;
  }
  const url = new URL(options.url.replace(/^mariadb:/, 'mysql:'));
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('database URL names no database');
  return new Sequelize(
    database,
    decodeURIComponent(url.username),
    options.password ?? decodeURIComponent(url.password),
    {
      ...common,
      dialect: 'mysql',
      host: url.hostname,
      port: url.port ? Number(url.port) : 3306,
      dialectOptions: { charset: 'utf8mb4', connectTimeout: 5000 },
      pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: 10_000 },
    },
  );
}

/** True when the database answers a trivial query (readiness probes). */
export async function databaseReachable(db: Sequelize, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.query('SELECT 1'),
      new Promise((_, fail) => {
        timer = setTimeout(() => fail(new Error('timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Waits up to timeoutMs for the database to answer (compose and swarm start it alongside the
 * services, and a database container can report healthy a moment before it serves). Calls
 * onWait once, on the first failed attempt. Resolves true when reachable, false at the deadline.
 */
export async function waitForDatabase(
  db: Sequelize,
  timeoutMs: number,
  onWait: () => void = () => {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    if (await databaseReachable(db, 3000)) return true;
    if (Date.now() >= deadline) return false;
    if (attempt === 1) onWait();
    await new Promise((r) => setTimeout(r, 500));
  }
}
