import { createServer, type Server as HttpServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer, type Logger, listenError } from '@notes/kit';
import type { Sequelize } from 'sequelize';
import type { NotesConfig } from './config.js';
import { startNotesMetrics } from './metrics/notes-metrics.js';
import { openStores, type StoreOptions } from './start/stores.js';
import { wireNotes } from './start/wiring.js';

export { StartupError } from '@notes/kit';

export interface NotesServer {
  url: string;
  port: number;
  db: Sequelize;
  http: HttpServer;
  /** Stops accepting, closes sockets, then the stores. */
  close(): Promise<void>;
}

function listen(http: HttpServer, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const failed = (err: unknown) => reject(listenError(err, port, host));
    http.once('error', failed);
    http.listen(port, host, () => {
      http.off('error', failed);
      resolve((http.address() as AddressInfo).port);
    });
  });
}

/** The URL to print: a wildcard address is shown as loopback, IPv6 in brackets. */
function shownUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/**
 * Opens the stores (start/stores.ts), wires the app and the socket server (start/wiring.ts), and
 * listens only once every store is ready. main.ts and the tests use exactly this.
 */
export async function startNotesServer(
  config: NotesConfig,
  logger: Logger,
  options: StoreOptions = {},
): Promise<NotesServer> {
  const stores = await openStores(config, logger, options);
  try {
    // The HTTP server exists first so Socket.IO can hook into it; the app answers once it is built.
    let handler: RequestListener = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    const http = createServer((req, res) => handler(req, res));
    const { app, io, userauth, collab, close: closeWiring, jobs } = wireNotes(config, logger, stores, http);
    const metrics = await startNotesMetrics(config, stores, { http, io, userauth, collab, logger });
    handler = app;
    const port = await listen(http, config.PORT, config.HOST);
    jobs.start();

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        closeWiring();
        const stopped = closeHttpServer(http, 5000);
        io.disconnectSockets(true);
        await new Promise<void>((r) => io.close(() => r()));
        await stopped;
        await jobs.stop();
        await metrics.close();
        await stores.close();
      })();
      return closing;
    };
    return { url: shownUrl(config.HOST, port), port, db: stores.db, http, close };
  } catch (err) {
    await stores.close();
    throw err;
  }
}
