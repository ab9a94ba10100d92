import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import type { Store } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotesConfig } from '../config.js';
import { openStoreBackends, type StoreBackends, type TestRedisClient } from '../testing/store-backends.js';
import { createSessionMiddleware } from './session.js';
import { refreshSessions } from './session-refresh.js';
import { databaseSessionStore, redisSessionStore, type SessionStore } from './session-store.js';

declare module 'express-session' {
  interface SessionData {
    who?: string;
  }
}

const MAX_AGE_MS = 4000;
const REFRESH_MS = 1500;

let backends: StoreBackends;
let redis: TestRedisClient;
const stores: Record<string, SessionStore> = {};

beforeAll(async () => {
  backends = await openStoreBackends('notes_session_refresh');
  redis = backends.redis;
  stores.redis = redisSessionStore(redis, `t${randomBytes(4).toString('hex')}`);
  for (const { name, db } of backends.databases) stores[name] = databaseSessionStore(db, MAX_AGE_MS);
});

afterAll(async () => {
  for (const s of Object.values(stores)) s.close();
  await backends?.close();
});

/**
 * The session middlewares of the app (session.ts, then refreshSessions) on a small app, counting
 * the saves of the store (its touch writes nothing: session-store.ts).
 */
async function serve(store: Store) {
  const writes = { count: 0 };
  const set = store.set.bind(store);
  store.set = (...args) => {
    writes.count++;
    return set(...args);
  };
  const config = {
    NOTES_SESSION_SECRET: randomBytes(32).toString('hex'),
    NOTES_SESSION_MAX_AGE_HOURS: MAX_AGE_MS / 3_600_000,
    NOTES_TRUST_PROXY: undefined,
  } as unknown as NotesConfig;
  const app = express();
  app.use(createSessionMiddleware(config, store), refreshSessions(REFRESH_MS));
  app.post('/in', (req, res) => {
    req.session.who = 'olga';
    res.send('ok');
  });
  app.get('/me', (req, res) => {
    res.send(req.session.who ?? 'nobody');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, writes, close: () => server.close() };
}

describe.each(['redis', 'mariadb', 'sqlite'])('sessions in %s', (kind) => {
  it('slide with a write at most once per interval, and expire when unused for their max age', async () => {
    const app = await serve(stores[kind]!.store);
    try {
      const signIn = await fetch(`${app.base}/in`, { method: 'POST' });
      // express-session sends the last byte of a response once the session is saved.
      await signIn.text();
      const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
      expect(cookie).toMatch(/^notes\.sid=/);
      const started = Date.now();
      const me = async () => {
        const res = await fetch(`${app.base}/me`, { headers: { cookie } });
        return { who: await res.text(), setCookie: res.headers.get('set-cookie') };
      };
      const after = app.writes.count;

      // Within the interval: signed in, nothing written, no cookie sent again.
      expect(await me()).toEqual({ who: 'olga', setCookie: null });
      expect(app.writes.count).toBe(after);

      // After the interval: saved once again, the cookie's expiry moved on.
      await sleep(REFRESH_MS + 100 - (Date.now() - started));
      const refreshed = await me();
      expect(refreshed.who).toBe('olga');
      const expires = Date.parse(/Expires=([^;]+)/.exec(refreshed.setCookie ?? '')?.[1] ?? '');
      // (Expires has whole seconds; the first one was at most started + MAX_AGE_MS.)
      expect(expires).toBeGreaterThan(started + MAX_AGE_MS);
      expect(app.writes.count).toBe(after + 1);
      expect(await me()).toEqual({ who: 'olga', setCookie: null });
      expect(app.writes.count).toBe(after + 1);

      // Past the first expiry: still signed in, because it slid.
      await sleep(MAX_AGE_MS + 600 - (Date.now() - started));
      expect((await me()).who).toBe('olga');

      // Unused for longer than its max age: gone.
      await sleep(MAX_AGE_MS + 400);
      expect(await me()).toEqual({ who: 'nobody', setCookie: null });
    } finally {
      app.close();
    }
  }, 30_000);
});
