import './warnings.js';
import { closeHttpServer, configOrExit, createLogger, handleShutdown, StartupError } from '@notes/kit';
import { loadServiceConfig } from './config.js';
import { describeDatabase, openUserauthDatabase, readyUserauthDatabase } from './db/database.js';
import { createServer, listen } from './http/server.js';
import { createIdentities } from './identities/index.js';
import { startUserauthMetrics } from './metrics/userauth-metrics.js';
import { createMfa } from './mfa/index.js';
import { createUsers } from './users/index.js';

/** One clear line on stderr, then exit non-zero. */
function fail(message: string): never {
  process.stderr.write(`userauth: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = configOrExit('userauth', () => loadServiceConfig());
  const logger = createLogger('userauth', config.logLevel);
  const db = openUserauthDatabase(config);
  const where = describeDatabase(config.dbUrl);

  try {
    await readyUserauthDatabase(db, config, config.migrateOnStart, logger);
  } catch (err) {
    if (err instanceof StartupError) fail(err.message);
    throw err;
  }

  const users = createUsers(db, config.bcryptCost);
  const server = createServer({
    db,
    users,
    identities: createIdentities(db, users),
    mfa: createMfa(db, users, config.mfaKey),
    apiKeys: config.apiKeys,
    logger,
  });
  const metrics = await startUserauthMetrics(config, { server, db, logger });
  const port = await listen(server, config.port, config.host);
  handleShutdown(logger, [
    { name: 'http', run: () => closeHttpServer(server.server) },
    { name: 'metrics', run: () => metrics?.close() },
    { name: 'database', run: () => db.close() },
  ]);
  logger.info(
    { url: `http://${config.host}:${port}`, database: where, keys: config.apiKeys.map((k) => k.name) },
    'listening',
  );
}

main().catch((err: unknown) => fail(`cannot start: ${err instanceof Error ? err.message : String(err)}`));
