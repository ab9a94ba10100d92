import type { Sequelize } from 'sequelize';

type Row = Record<string, unknown>;
type Done<T> = (err: Error | null, rows: T) => void;

/** The driver calls used here: mysql2's callback pool, node-sqlite3's Database. */
interface MysqlPool {
  execute(sql: string, values: unknown[], done: Done<unknown>): void;
  end(done: (err?: Error | null) => void): void;
}
interface SqliteConnection {
  all(sql: string, values: unknown[], done: Done<Row[]>): void;
}
/** What Sequelize keeps about its connections (its instance's `config`, `options`, `connectionManager`). */
interface SequelizeInternals {
  config: {
    host: string;
    port: number | string;
    username: string;
    password: string | null;
    database: string;
    pool?: { max?: number };
  };
  options: { timezone?: string; dialectOptions?: Record<string, unknown>; logging?: unknown };
  connectionManager: {
    lib: { createPool(options: Record<string, unknown>): MysqlPool };
    getConnection(options: { type: 'read' }): Promise<unknown>;
    releaseConnection(connection: unknown): void;
  };
}

/** Runs one SELECT with `?` parameters and resolves with plain row objects. */
export type PreparedRead = <T>(sql: string, params: readonly unknown[]) => Promise<T[]>;

export interface PreparedReads {
  read: PreparedRead;
  /** Closes what was opened for the reads (the MySQL pool); the Sequelize instance stays open. */
  close(): Promise<void>;
}

/**
 * Reads of the hot pages (home list, note view) straight on the driver, skipping the ORM's query
 * building and instance wrapping. Rows come back as plain objects (dates as the driver gives them:
 * Date on MySQL, text on SQLite; callers make their own Date).
 *
 * - MariaDB/MySQL: prepared statements (mysql2 `execute`, cached per connection, so each SQL text
 *   is parsed once per connection) on a pool of their own, as large as Sequelize's, made with the
 *   same driver, address, credentials, character set and time zone. Not Sequelize's connections:
 *   Sequelize gives them a per-field type-cast hook, which makes mysql2 wrap every field of every
 *   row in an object (and, through a driver bug, recompile its row parser on each execute when a
 *   query asks for no hook), costing more than the ORM.
 * - SQLite: node-sqlite3's parameterised `all` on Sequelize's own connection (there is one).
 *
 * Driver errors keep their codes, so a lost or refused database is a 503 as before
 * (isDatabaseUnavailable), and Sequelize's `logging` hook sees every statement (the tests count
 * queries through it). The SQL must be portable (`?` parameters, backquoted identifiers) and built
 * from constants only: values always go in `params`, so the set of statement texts stays small.
 */
export function preparedReads(db: Sequelize): PreparedReads {
  const internals = db as unknown as SequelizeInternals;
  const logged = (sql: string) => {
    const logging = internals.options.logging;
    if (typeof logging === 'function') (logging as (sql: string) => void)(`Executing (prepared): ${sql}`);
  };
  if (db.getDialect() === 'sqlite') {
    const manager = internals.connectionManager;
    return {
      read: async <T>(sql: string, params: readonly unknown[]) => {
        logged(sql);
        const connection = (await manager.getConnection({ type: 'read' })) as SqliteConnection;
        return new Promise<T[]>((resolve, reject) =>
          connection.all(sql, [...params], (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
        );
      },
      close: async () => {},
    };
  }
  const { config, options } = internals;
  let pool: MysqlPool | undefined;
  const open = () => {
    pool ??= internals.connectionManager.lib.createPool({
      host: config.host,
      port: Number(config.port),
      user: config.username,
      password: config.password ?? undefined,
      database: config.database,
      timezone: options.timezone ?? '+00:00',
      supportBigNumbers: true,
      bigNumberStrings: false,
      connectionLimit: config.pool?.max ?? 10,
      maxIdle: 0,
      idleTimeout: 10_000,
      ...options.dialectOptions,
    });
    return pool;
  };
  return {
    read: <T>(sql: string, params: readonly unknown[]) => {
      logged(sql);
      return new Promise<T[]>((resolve, reject) =>
        open().execute(sql, [...params], (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!pool) return resolve();
        pool.end(() => resolve());
        pool = undefined;
      }),
  };
}
