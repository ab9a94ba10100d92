/** Inside a vitest run: the MariaDB and Redis the global setup provides. */
export { createTestDatabase, mysqlAdminUrl, redisUrl, type TestDatabase } from './databases.js';
