import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { createLogger } from '@notes/kit';
import { type Restartable, startRedis } from '@notes/testkit';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { SESSION_COOKIE } from './session.js';
import { redisSessionStore } from './session-store.js';

interface Answer {
  status: number;
  body: string;
  socket: Socket;
  cookie?: string;
}

/** One GET on the given keep-alive agent: its status, body and the connection it went over. */
function get(port: number, agent: Agent, path: string, cookie?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            socket: socket as Socket,
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
          }),
        );
      },
    );
    let socket: Socket | undefined;
    req.on('socket', (s) => {
      socket = s;
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Redis goes away between a session's load and its save: express-session reports the failed save
 * only after the page is out. That must not cut the keep-alive connection (Express's final handler
 * would destroy it, and the client's next request on it would meet a reset instead of a 503).
 */
describe('an error after the response was sent in full', () => {
  let redis: Restartable;
  let client: ReturnType<typeof createClient>;
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let port: number;
  const log = new PassThrough();
  let logged = '';
  log.on('data', (chunk) => {
    logged += String(chunk);
  });

  beforeAll(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: 100 } });
    client.on('error', () => {});
    await client.connect();
    const app = express();
    app.use(
      session({
        name: SESSION_COOKIE,
        secret: 'a test secret that is long enough',
        store: redisSessionStore(client, 'errtest').store,
        resave: false,
        saveUninitialized: false,
      }),
    );
    app.get('/start', (req, res) => {
      (req.session as unknown as { n: number }).n = 1;
      res.json({ started: true });
    });
    // The session loaded while Redis was up; it changes (as a flash message does) once it is gone.
    app.get('/change-after-redis-left', async (req, res) => {
      await redis.stopServer();
      (req.session as unknown as { n: number }).n = 2;
      res.json({ answered: true });
    });
    app.use(errorHandler(createLogger('notes', 'info', log)));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await client?.disconnect().catch(() => {});
    await redis?.stop();
  });

  it('keeps the connection: the next request on it is answered 503, and the fault is logged', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const started = await get(port, agent, '/start');
      expect(started.status).toBe(200);
      const cookie = started.cookie!;
      expect(cookie).toMatch(/^notes\.sid=/);

      const answered = await get(port, agent, '/change-after-redis-left', cookie);
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.body)).toEqual({ answered: true });
      // express-session reports the failed save on the next turn of the event loop.
      await new Promise((r) => setTimeout(r, 100));
      expect(answered.socket.destroyed).toBe(false);

      const next = await get(port, agent, '/start', cookie);
      expect(next.socket).toBe(answered.socket);
      expect(next.status).toBe(503);
      expect(JSON.parse(next.body)).toMatchObject({ code: 'unavailable' });
      expect(logged).toContain('dependency unavailable');
      expect(logged).toContain('/change-after-redis-left');
    } finally {
      agent.destroy();
    }
  });
});
