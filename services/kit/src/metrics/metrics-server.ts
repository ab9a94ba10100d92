import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { closeHttpServer } from '../shutdown.js';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * GET /metrics in Prometheus text format, on a port of its own: the stacks never publish it, so only
 * what shares a network with the service (Prometheus on the operators' network) can scrape it, and
 * the public port has no /metrics at all. Anything else answers 404.
 */
export async function startMetricsServer(
  registry: Registry,
  port: number,
  host: string,
): Promise<MetricsServer> {
  // statusCode/setHeader/end, not the chained writeHead(): Restify patches ServerResponse
  // process-wide, and its writeHead returns nothing.
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.statusCode = status;
    res.setHeader('content-type', type);
    res.end(body);
  };
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      send(res, 404, 'text/plain', 'not found\n');
      return;
    }
    registry.metrics().then(
      (text) => send(res, 200, registry.contentType, text),
      (err: unknown) => send(res, 500, 'text/plain', `${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { port: (server.address() as AddressInfo).port, close: () => closeHttpServer(server, 1000) };
}
