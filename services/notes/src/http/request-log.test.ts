import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { createLogger } from '@notes/kit';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLog } from './request-log.js';

/** The request log through a real Express app: one line per request, and no share-link token in it. */
describe('request log', () => {
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let base: string;
  let logged = '';

  beforeAll(async () => {
    const out = new PassThrough();
    out.on('data', (chunk) => {
      logged += String(chunk);
    });
    const app = express();
    app.use(requestLog(createLogger('notes', 'info', out)));
    app.get('/s/:token', (_req, res) => {
      res.status(404).send('no such link');
    });
    app.get('/notes/view', (_req, res) => {
      res.send('a note');
    });
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  it('keeps method, path and status, masks a share link token and leaves out the query string', async () => {
    await (await fetch(`${base}/s/Zx9-secret-share-token`)).text();
    await (await fetch(`${base}/notes/view?key=k1`)).text();
    await new Promise((r) => setTimeout(r, 50));
    const lines = logged
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { req: { method: string; path: string }; res: { status: number } });
    expect(lines.map((l) => [l.req.method, l.req.path, l.res.status])).toEqual([
      ['GET', '/s/<token>', 404],
      ['GET', '/notes/view', 200],
    ]);
    expect(logged).not.toContain('secret-share-token');
    expect(logged).not.toContain('key=k1');
  });
});
