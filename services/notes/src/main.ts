import { configOrExit, createLogger, handleShutdown } from '@notes/kit';
import { readConfig } from './config.js';
import { handleUnhandledRejections } from './faults/unhandled-rejections.js';
import { StartupError, startNotesServer } from './server.js';

const config = configOrExit('notes', () => readConfig());
const logger = createLogger('notes', config.LOG_LEVEL);
handleUnhandledRejections(logger);

try {
  const server = await startNotesServer(config, logger);
  handleShutdown(logger, [{ name: 'notes server', run: () => server.close() }]);
  logger.info(
    { host: config.HOST, port: server.port, url: server.url, redis: Boolean(config.NOTES_REDIS_URL) },
    `notes listening on ${config.HOST}:${server.port} (open ${server.url})`,
  );
} catch (err) {
  if (err instanceof StartupError) {
    process.stderr.write(`notes: ${err.message}\n`);
  } else {
    logger.error({ err }, 'notes failed to start');
    logger.flush();
  }
  process.exit(1);
}
