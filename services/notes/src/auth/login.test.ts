import { request } from 'node:http';
import { freePort } from '@notes/testkit';
import { redisUrl } from '@notes/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotesOnMariadb, type TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, csrfFrom, fieldValue, textOf, WebClient } from '../testing/web-client.js';

let userauth: RunningUserauth;
let notes: TestNotes;
const carol = { username: 'carol', password: 'carol-password-1' };

beforeAll(async () => {
  userauth = await startUserauth([carol]);
  notes = await startTestNotesOnMariadb('notes_login', userauth, {
    // X-Forwarded-For from this test (loopback) is trusted, so each client may bring its own address;
    // the default thresholds, with waits of a few milliseconds so that 100 failures stay quick.
    NOTES_TRUST_PROXY: 'loopback',
    NOTES_LOGIN_DELAY_BASE_MS: '1',
    NOTES_LOGIN_DELAY_MAX_MS: '4',
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

    const out = await client.get('/users/logout', { 'sec-fetch-site': 'same-origin' });
    expect(out.res.status).toBe(302);
    expect(out.res.headers.get('location')).toBe('/');
    // The old session is gone from the store: replaying its cookie is anonymous.
    const replay = new WebClient(notes.url);
    replay.setCookie('notes.sid', after!);
    const again = await replay.get('/notes/add');
    expect(again.res.status).toBe(302);
    expect(again.res.headers.get('location')).toBe('/users/login?next=%2Fnotes%2Fadd');
  });

  it('a login posted without any session cookie gets the form again, with a session and a token that work', async () => {
    const client = new WebClient(notes.url);
    const refused = await client.post('/users/login', {
      _csrf: 'made-up',
      username: carol.username,
      password: carol.password,
    });
    expect(refused.res.status).toBe(403);
    expect(textOf(byId(refused.text, 'loginmessage'))).toContain('form token');
    expect(fieldValue(refused.text, 'username')).toBe(carol.username);
    // The session was made for this form (cookie-less requests get one only when a page needs it).
    expect(client.cookie('notes.sid')).toBeDefined();
    const { res } = await client.post('/users/login', {
      _csrf: csrfFrom(refused.text, '/users/login'),
      username: carol.username,
      password: carol.password,
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect((await client.get('/')).text).toContain('href="/users/logout"');
  });

  it('pages that read the session answer a visitor without a session cookie as before (no 500)', async () => {
    const second = await new WebClient(notes.url).get('/users/login/2fa');
    expect(second.res.status).toBe(302);
    expect(second.res.headers.get('location')).toBe('/users/login');
    const out = await new WebClient(notes.url).get('/users/logout');
    expect(out.res.status).toBe(302);
    expect(out.res.headers.get('location')).toBe('/');
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
});

/** A client behind the trusted proxy with its own address. */
function from(address: string): WebClient {
  return new WebClient(notes.url, { 'x-forwarded-for': address });
}

async function fail(client: WebClient, username: string): Promise<number> {
  const { res } = await client.submit('/users/login', '/users/login', { username, password: 'not-it-1' });
  return res.status;
}

function delayedLines(): { delayMs: number; by: string }[] {
  return notes
    .logs()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg?: string; delayMs: number; by: string })
    .filter((l) => l.msg === 'login delayed');
}

describe('login limits cannot be turned against users (README "Login limits")', () => {
  const ATTACKS = 100;

  it("a victim's correct login succeeds after 100 failures for their name from another address", async () => {
    await userauth.createUser('victim1', 'victim1-password');
    const attacker = from('203.0.113.10');
    const statuses = new Set<number>();
    for (let i = 0; i < ATTACKS; i++) statuses.add(await fail(attacker, 'victim1'));
    // Every attempt was answered (slowed down, never refused).
    expect([...statuses]).toEqual([401]);
    const before = delayedLines().length;
    const victim = from('198.51.100.20');
    const { res } = await victim.login('victim1', 'victim1-password');
    expect(res.status).toBe(302);
    // From an address that has not been failing, the password is checked at once.
    expect(delayedLines().length).toBe(before);
    // The attacker's own address was slowed down by the failures of both the name and the address.
    expect(delayedLines().some((l) => l.by === 'username')).toBe(true);
    expect(delayedLines().some((l) => l.by === 'address')).toBe(true);
  });

  it("a victim's correct login succeeds after 100 failures from their own address (NAT)", async () => {
    await userauth.createUser('victim2', 'victim2-password');
    const shared = '192.0.2.30';
    const attacker = from(shared);
    for (let i = 0; i < ATTACKS / 2; i++) expect(await fail(attacker, 'victim2')).toBe(401);
    for (let i = 0; i < ATTACKS / 2; i++) expect(await fail(attacker, `other${i}`)).toBe(401);
    const before = delayedLines().length;
    const { res } = await from(shared).login('victim2', 'victim2-password');
    expect(res.status).toBe(302);
    // It waited (the address is failing) but was not refused.
    const waited = delayedLines().slice(before);
    expect(waited).toHaveLength(1);
    expect(waited[0]!.delayMs).toBe(4);
    // Another user from that address gets in too.
    const other = await from(shared).login(carol.username, carol.password);
    expect(other.res.status).toBe(302);
  });

  it('waits grow with the failures of a name (then are capped), whatever the address', async () => {
    await userauth.createUser('victim3', 'victim3-password');
    const before = delayedLines().length;
    // 10 free failures for the name (NOTES_LOGIN_LIMIT_PER_USER), each from a new address, then
    // attempts from addresses that failed for it wait 1, 2, 4, 4… ms.
    for (let i = 0; i < 10; i++) expect(await fail(from(`203.0.113.${100 + i}`), 'victim3')).toBe(401);
    expect(delayedLines().length).toBe(before);
    const repeat = from('203.0.113.100');
    for (let i = 0; i < 4; i++) expect(await fail(repeat, 'victim3')).toBe(401);
    expect(
      delayedLines()
        .slice(before)
        .map((l) => l.delayMs),
    ).toEqual([1, 2, 4, 4]);
  });

  it('X-Forwarded-For counts only from a trusted proxy', async () => {
    // No Redis: the counters are in the notes database.
    const direct = await startTestNotesOnMariadb('notes_limit', userauth, {
      NOTES_REDIS_URL: undefined,
      NOTES_LOGIN_LIMIT_PER_CLIENT: '4',
      NOTES_LOGIN_DELAY_BASE_MS: '1',
      NOTES_LOGIN_DELAY_MAX_MS: '1',
    });
    try {
      // A made-up header per attempt does not make a new address: the 5th failure waits.
      for (let i = 0; i < 5; i++) {
        const { res } = await new WebClient(direct.url, { 'x-forwarded-for': `10.9.8.${i}` }).submit(
          '/users/login',
          '/users/login',
          { username: `user${i}`, password: 'x' },
        );
        expect(res.status).toBe(401);
      }
      expect(direct.logs()).toContain('"msg":"login delayed"');
      expect(direct.logs()).toContain('"by":"address"');
    } finally {
      await direct.close();
    }
  });
});

describe('what waiting costs is bounded', () => {
  it('at most two attempts wait per counter; more are refused at once, without counting', async () => {
    const slow = await startTestNotesOnMariadb('notes_waits', userauth, {
      NOTES_REDIS_URL: undefined,
      NOTES_LOGIN_LIMIT_PER_CLIENT: '1',
      NOTES_LOGIN_DELAY_BASE_MS: '1500',
      NOTES_LOGIN_DELAY_MAX_MS: '1500',
    });
    try {
      const attempt = async (name: string) => {
        const { res } = await new WebClient(slow.url).submit('/users/login', '/users/login', {
          username: name,
          password: 'wrong-password',
        });
        return res.status;
      };
      // One failure makes this address (loopback) a failing one: each next attempt waits.
      expect(await attempt('w0')).toBe(401);
      const statuses = await Promise.all(['w1', 'w2', 'w3', 'w4'].map(attempt));
      expect(statuses.sort()).toEqual([401, 401, 429, 429]);
      const lines = slow
        .logs()
        .split('\n')
        .filter((l) => l.includes('"msg":"login delayed"'));
      expect(lines).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });
});

describe('logout (DESIGN 4.1)', () => {
  async function signedIn(): Promise<WebClient> {
    const client = new WebClient(notes.url);
    await client.login(carol.username, carol.password);
    return client;
  }
  const isSignedIn = async (client: WebClient) => (await client.get('/notes/add')).res.status === 200;

  it('a cross-site GET signs nobody out: it shows a button posting the logout', async () => {
    const client = await signedIn();
    // As Chromium sends a cross-site link, image or form GET.
    for (const site of ['cross-site', 'same-site']) {
      const { res, text } = await client.get('/users/logout', { 'sec-fetch-site': site });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(text).toMatch(/<form method="POST" action="\/users\/logout"/);
      expect(await isSignedIn(client)).toBe(true);
    }
    // Without Fetch metadata (an old browser, a script) it is the same page.
    expect((await client.get('/users/logout')).text).toContain('action="/users/logout"');
    expect(await isSignedIn(client)).toBe(true);
    // The button signs out.
    const { res } = await client.submit('/users/logout', '/users/logout', {});
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect(await isSignedIn(client)).toBe(false);
  });

  it('a same-origin navigation (the header link) or one typed by the user signs out', async () => {
    for (const site of ['same-origin', 'none']) {
      const client = await signedIn();
      const { res } = await client.get('/users/logout', { 'sec-fetch-site': site });
      expect(res.status).toBe(302);
      expect(await isSignedIn(client)).toBe(false);
    }
  });

  it('POST /users/logout needs the form token', async () => {
    const client = await signedIn();
    const { res } = await client.post('/users/logout', {});
    expect(res.status).toBe(403);
    expect(await isSignedIn(client)).toBe(true);
  });
});

describe('request hygiene', () => {
  /** A raw request with any request target (fetch only sends paths). */
  function rawRequest(method: string, target: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(notes.url);
      const req = request({ host: hostname, port, method, path: target }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('a request target that is not a path is a 400 with no error-level log line', async () => {
    const mark = notes.logs().length;
    expect(await rawRequest('OPTIONS', '*')).toBe(400);
    expect(await rawRequest('GET', `${notes.url}/`)).toBe(400);
    const lines = notes
      .logs()
      .slice(mark)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; err?: { stack?: string } });
    expect(lines.length).toBe(2);
    // pino levels: 40 warn, 50 error.
    expect(lines.map((l) => l.level)).toEqual(lines.map(() => 40));
    expect(notes.logs().slice(mark)).not.toContain('"stack"');
  });

  it('pages for a signed-in user or with a form token are never cached; public pages may be', async () => {
    const anon = new WebClient(notes.url);
    expect((await anon.get('/')).res.headers.get('cache-control')).toBeNull();
    // The login form carries a CSRF token.
    expect((await anon.get('/users/login')).res.headers.get('cache-control')).toBe('private, no-store');
    const client = new WebClient(notes.url);
    const { res } = await client.login(carol.username, carol.password);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    for (const path of ['/', '/notes/add', '/no/such/page', '/users/login']) {
      const page = await client.get(path);
      expect(page.res.headers.get('cache-control'), path).toBe('private, no-store');
    }
  });
});

describe('when svc-userauth is unreachable', () => {
  it('login is the form again with a 503 and a plain message (no address), and /readyz says so', async () => {
    const nobody = { url: `http://127.0.0.1:${await freePort()}`, apiKey: 'notes:whatever-key-123456' };
    const down = await startTestNotesOnMariadb('notes_down', nobody, { NOTES_REDIS_URL: undefined });
    try {
      const client = new WebClient(down.url);
      const { res, text } = await client.submit('/users/login', '/users/login', {
        username: 'a',
        password: 'b',
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(textOf(byId(text, 'loginmessage'))).toBe('The account service is unavailable, try again');
      expect(fieldValue(text, 'username')).toBe('a');
      expect(text).not.toMatch(/at \w+ \(|node_modules|ECONNREFUSED|127\.0\.0\.1|http:\/\//);
      const ready = await client.get('/readyz');
      expect(ready.res.status).toBe(503);
      expect(JSON.parse(ready.text)).toMatchObject({
        checks: { database: 'ok', userauth: 'down' },
        failing: ['userauth'],
      });
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
