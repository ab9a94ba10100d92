/**
 * @notes/testkit: the generic pieces of the test harness, usable outside vitest too (the
 * benchmarks). Vitest-only helpers (the run's databases) are in `@notes/testkit/vitest`, the
 * Docker-engine helper in `@notes/testkit/docker`.
 */
export { freePort, waitForPort } from './free-port.js';
export { type Restartable, startMariadb, type Throwaway } from './mariadb.js';
export { adminQuery, createDatabaseSql, databaseUrl } from './mysql-admin.js';
export {
  type ExitWatch,
  REPO_ROOT,
  type ServiceProcess,
  startServiceProcess,
  waitUntilReady,
  watchExit,
} from './processes.js';
export { startRedis } from './redis.js';
export { thrownBy } from './thrown.js';
export { which } from './which.js';
