import { freePort } from '@notes/testkit';
import { redisUrl } from '@notes/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotesOnMariadb, type TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, csrfFrom, h1, h2, textOf, WebClient } from '../testing/web-client.js';

let userauth: RunningUserauth;
let notes: TestNotes;
const carol = { username: 'carol', password: 'carol-password-1' };

beforeAll(async () => {
  userauth = await startUserauth([carol, { username: 'dave', password: 'dave-password-1' }]);
  notes = await startTestNotesOnMariadb('notes_login', userauth, {
    NOTES_LOGIN_LIMIT_PER_USER: '3',
    NOTES_LOGIN_LIMIT_PER_CLIENT: '1000',
  });
});

afterAll(async () => {
  await notes?.close();
  await userauth?.stop();
});

describe('login and logout', () => {
  it('shows the login form with a CSRF token', async () => {
    const { res, text } = await new WebClient(notes.url).get('/users/login');
    expect(res.status).toBe(200);
    expect(text).toContain('action="/users/login"');
    expect(text).toContain('name="username"');
    expect(text).toContain('name="password"');
    expect(csrfFrom(text, '/users/login')).toMatch(/\S{20,}/);
  });

  it('logs in with a fresh session id and flagged cookie, shows the user, logs out', async () => {
    const client = new WebClient(notes.url);
    const { text } = await client.get('/users/login');
    const before = client.cookie('notes.sid');
    expect(before).toBeDefined();
    const { res } = await client.post('/users/login', {
      _csrf: csrfFrom(text, '/users/login'),
      username: carol.username,
      password: carol.password,
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('notes.sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const after = client.cookie('notes.sid');
    expect(after).not.toBe(before);

    const home = await client.get('/');
    expect(home.text).toMatch(
      /href="\/users\/logout"[^>]*>(?:(?!<\/a>).)*Log out(?:(?!<\/a>).)*<span class="[^"]*\busername\b[^"]*">carol<\/span>/,
    );
    expect(home.text).toContain('href="/notes/add"');
    expect(home.text).not.toContain('href="/users/login"');

    const out = await client.get('/users/logout');
    expect(out.res.status).toBe(302);
    expect(out.res.headers.get('location')).toBe('/');
    // The old session is gone from the store: replaying its cookie is anonymous.
    const replay = new WebClient(notes.url);
    replay.setCookie('notes.sid', after!);
    const again = await replay.get('/notes/add');
    expect(again.res.status).toBe(302);
    expect(again.res.headers.get('location')).toBe('/users/login');
  });

  it('keeps only the username in the session', async () => {
    const client = new WebClient(notes.url);
    await client.login(carol.username, carol.password);
    const { createClient } = await import('redis');
    const redis = createClient({ url: redisUrl() });
    await redis.connect();
    try {
      const sid = decodeURIComponent(client.cookie('notes.sid')!).slice(2).split('.')[0]!;
      const stored = JSON.parse((await redis.get(`${notes.config.NOTES_REDIS_PREFIX}:sess:${sid}`))!);
      expect(stored.passport).toEqual({ user: 'carol' });
      expect(JSON.stringify(stored)).not.toContain(carol.password);
    } finally {
      await redis.quit();
    }
  });

  it('a wrong password stays on the form with a visible message', async () => {
    const client = new WebClient(notes.url);
    const { res, text } = await client.submit('/users/login', '/users/login', {
      username: carol.username,
      password: 'wrong-password',
    });
    expect(res.status).toBe(401);
    expect(text).toContain('action="/users/login"');
    expect(textOf(byId(text, 'loginmessage'))).toBe('Incorrect username or password');
    expect(text).toContain('value="carol"');
    const unknown = await client.submit('/users/login', '/users/login', {
      username: 'nobody',
      password: 'x',
    });
    expect(unknown.res.status).toBe(401);
  });

  it('missing fields are a 400 naming the field', async () => {
    const client = new WebClient(notes.url);
    const noName = await client.submit('/users/login', '/users/login', { password: 'x' });
    expect(noName.res.status).toBe(400);
    expect(textOf(byId(noName.text, 'loginmessage'))).toBe('username: is required');
    const noPassword = await client.submit('/users/login', '/users/login', { username: 'x' });
    expect(noPassword.res.status).toBe(400);
    expect(textOf(byId(noPassword.text, 'loginmessage'))).toBe('password: is required');
  });

  it('limits failed logins per username, and successful ones do not count', async () => {
    const client = new WebClient(notes.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { res } = await client.submit('/users/login', '/users/login', {
        username: 'dave',
        password: 'nope',
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await client.submit('/users/login', '/users/login', {
      username: 'dave',
      password: 'dave-password-1',
    });
    expect(blocked.res.status).toBe(429);
    expect(h2(blocked.text)).toBe('429');
    expect(h1(blocked.text)).toBe('Too Many Requests');
  });

  it('limits failed logins per client across usernames', async () => {
    const limited = await startTestNotesOnMariadb('notes_limit', userauth, {
      NOTES_REDIS_URL: undefined,
      NOTES_LOGIN_LIMIT_PER_CLIENT: '4',
    });
    try {
      const client = new WebClient(limited.url);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const { res } = await client.submit('/users/login', '/users/login', {
          username: `user${i}`,
          password: 'x',
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('when svc-userauth is unreachable', () => {
  it('login is a 503 page, not a 500, and /readyz says so', async () => {
    const nobody = { url: `http://127.0.0.1:${await freePort()}`, apiKey: 'notes:whatever-key-123456' };
    const down = await startTestNotesOnMariadb('notes_down', nobody, { NOTES_REDIS_URL: undefined });
    try {
      const client = new WebClient(down.url);
      const { res, text } = await client.submit('/users/login', '/users/login', {
        username: 'a',
        password: 'b',
      });
      expect(res.status).toBe(503);
      expect(h1(text)).toBe('Service Unavailable');
      expect(h2(text)).toBe('503');
      expect(text).not.toMatch(/at \w+ \(|node_modules|ECONNREFUSED/);
      const ready = await client.get('/readyz');
      expect(ready.res.status).toBe(503);
      expect(JSON.parse(ready.text).checks).toEqual({ database: 'ok', userauth: 'down' });
      expect((await client.get('/healthz')).res.status).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('operations', () => {
  it('/readyz checks the database, Redis and userauth', async () => {
    const { res, text } = await new WebClient(notes.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      status: 'ok',
      checks: { database: 'ok', redis: 'ok', userauth: 'ok' },
    });
  });

  it('request logs are JSON lines without cookies, tokens or passwords', async () => {
    const client = new WebClient(notes.url);
    await client.login(carol.username, carol.password);
    await client.get('/?page=1');
    const lines = notes
      .logs()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.req && l.res);
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.some((l) => (l.req as { path: string }).path === '/users/login')).toBe(true);
    const all = notes.logs();
    expect(all).not.toContain(carol.password);
    expect(all).not.toContain('notes.sid');
    expect(all).not.toContain(client.cookie('notes.sid')!);
    expect(all).not.toContain('_csrf');
    expect(all).not.toContain(userauth.apiKey.split(':')[1]!);
  });
});
