import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_IDLE_REUSE_MS } from '../client/client.js';
import { startTestService, type TestService } from '../testing/in-process.js';
import { USERAUTH_KEEP_ALIVE_MS } from './server.js';

/** Sends raw HTTP requests over one TCP connection; resolves with each answer's status line. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let buffered = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (d) => {
    buffered += d;
  });
  socket.on('close', () => {
    closed = true;
  });
  return {
    closed: () => closed,
    async get(path: string): Promise<string> {
      buffered = '';
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
      for (let i = 0; i < 100 && !/\r\n\r\n/.test(buffered) && !closed; i++)
        await new Promise((r) => setTimeout(r, 20));
      return buffered.split('\r\n')[0] ?? '';
    },
    end: () => socket.destroy(),
  };
}

describe('keep-alive between svc-notes and svc-userauth', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('sqlite');
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('the server keeps an idle connection open well past the longest time a client reuses one', async () => {
    // Node's default (5 s) closed connections the client still reused: a request then raced the close.
    expect(USERAUTH_KEEP_ALIVE_MS).toBeGreaterThan(CLIENT_IDLE_REUSE_MS * 10);
    const conn = rawConnection(svc.url);
    try {
      expect(await conn.get('/healthz')).toBe('HTTP/1.1 200 OK');
      // Idle for longer than Node's default keep-alive timeout (5 s, enforced within a second), then reused.
      await new Promise((r) => setTimeout(r, 7500));
      expect(conn.closed(), 'the server closed the idle connection').toBe(false);
      expect(await conn.get('/healthz')).toBe('HTTP/1.1 200 OK');
    } finally {
      conn.end();
    }
  }, 20_000);
});
