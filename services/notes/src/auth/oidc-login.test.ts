import { freePort } from '@notes/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotesOnMariadb, type TestNotes } from '../testing/notes-in-process.js';
import { startTestProvider, type TestProvider } from '../testing/oidc-provider.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, textOf, WebClient } from '../testing/web-client.js';

/**
 * OpenID Connect sign-in against a real provider (oidc-provider on a loopback port, PKCE
 * required), a real svc-userauth process, and svc-notes on MariaDB and Redis.
 */
let provider: TestProvider;
let userauth: RunningUserauth;
let notes: TestNotes;
let base: string;
const callbackPrefix = () => `${base}/users/login/oidc/callback`;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startTestProvider(`${base}/users/login/oidc/callback`);
  userauth = await startUserauth([{ username: 'carol', password: 'carol-password-1' }]);
  notes = await startTestNotesOnMariadb('notes_oidc', userauth, {
    PORT: String(port),
    NOTES_PUBLIC_URL: base,
    NOTES_OIDC_ISSUER: provider.issuer,
    NOTES_OIDC_CLIENT_ID: provider.clientId,
    NOTES_OIDC_CLIENT_SECRET: provider.clientSecret,
    NOTES_OIDC_NAME: 'Test IdP',
  });
  provider.add({
    login: 'dana',
    password: 'dana-idp-pass',
    claims: {
      preferred_username: 'dana',
      given_name: 'Dana',
      family_name: 'Scully',
      email: 'dana@example.org',
      email_verified: true,
    },
  });
  provider.add({
    login: 'mallory',
    password: 'mallory-idp-pass',
    claims: { name: 'Mallory Mayhem', email: 'victim@example.org', email_verified: false },
  });
  provider.add({
    login: 'carol-at-idp',
    password: 'carol-idp-pass',
    claims: { preferred_username: 'carol', email: 'carol@example.org', email_verified: true },
  });
});

afterAll(async () => {
  await notes?.close();
  await userauth?.stop();
  await provider?.close();
});

/** GETs `url` and follows redirects across both servers until a page, or a redirect `stop` accepts. */
async function follow(client: WebClient, url: string, stop: (next: string) => boolean = () => false) {
  for (let hop = 0; hop < 10; hop++) {
    const { res, text } = await client.get(url);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return { url, res, text };
    const next = new URL(location, url).href;
    if (stop(next)) return { url: next, res, text };
    url = next;
  }
  throw new Error(`too many redirects from ${url}`);
}

/** From the login button to the provider's form, signs in there; the callback URL it sends back. */
async function signInAtProvider(client: WebClient, login: string, password: string): Promise<string> {
  const form = await follow(client, `${base}/users/login/oidc`);
  expect(form.text).toContain('id="provider-login"');
  const action = /action="([^"]+)"/.exec(form.text)![1]!;
  const { res } = await client.post(new URL(action, form.url).href, { login, password });
  expect(res.status).toBe(303);
  const back = await follow(client, new URL(res.headers.get('location')!, form.url).href, (next) =>
    next.startsWith(callbackPrefix()),
  );
  expect(back.url.startsWith(callbackPrefix())).toBe(true);
  return back.url;
}

/** Who the home page says is signed in (undefined: nobody). */
async function signedInAs(client: WebClient): Promise<string | undefined> {
  const { text } = await client.get(client.base ? '/' : `${base}/`);
  const m = /<span class="[^"]*\busername\b[^"]*">([^<]+)<\/span>/.exec(text);
  return m?.[1];
}

describe('OpenID Connect sign-in (DESIGN 4.10)', () => {
  it('the login page offers "Sign in with Test IdP"', async () => {
    const { text } = await new WebClient(base).get('/users/login');
    expect(text).toMatch(
      /<a id="login-oidc"[^>]*href="\/users\/login\/oidc"[^>]*>Sign in with Test IdP<\/a>/,
    );
  });

  it('sends state, nonce and a PKCE challenge to the provider', async () => {
    const { res } = await new WebClient('').get(`${base}/users/login/oidc`);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(provider.issuer);
    expect(to.searchParams.get('response_type')).toBe('code');
    expect(to.searchParams.get('redirect_uri')).toBe(`${base}/users/login/oidc/callback`);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(to.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(to.searchParams.get('scope')).toBe('openid profile email');
  });

  it('happy path: signs in with a new session id as a user of its own, the same user next time', async () => {
    const client = new WebClient('');
    const callback = await signInAtProvider(client, 'dana', 'dana-idp-pass');
    const before = client.cookie('notes.sid');
    expect(before).toBeDefined();
    const { res } = await client.get(callback);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect(client.cookie('notes.sid')).not.toBe(before);
    expect(await signedInAs(client)).toBe('dana');
    const user = await userauth.client.find('dana');
    expect(user).toMatchObject({
      provider: 'oidc',
      givenName: 'Dana',
      familyName: 'Scully',
      emails: ['dana@example.org'],
    });
    // The identity, not the name, is the key: a second sign-in finds the same user.
    const again = new WebClient('');
    await again.get(await signInAtProvider(again, 'dana', 'dana-idp-pass'));
    expect(await signedInAs(again)).toBe('dana');
    expect((await userauth.client.list()).filter((u) => u.username.startsWith('dana'))).toHaveLength(1);
    // The session made by the provider's sign-in is a full one: pages for users open.
    expect((await again.get(`${base}/notes/add`)).res.status).toBe(200);
  });

  it('a wrong state signs nobody in, and the right one cannot be used after it', async () => {
    const client = new WebClient('');
    const callback = new URL(await signInAtProvider(client, 'dana', 'dana-idp-pass'));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-value-0123456789');
    const { res, text } = await client.get(forged.href);
    expect(res.status).toBe(401);
    expect(textOf(byId(text, 'loginmessage'))).toBe(
      'Sign-in with Test IdP did not succeed; please try again',
    );
    expect(await signedInAs(client)).toBeUndefined();
    expect((await client.get(callback.href)).res.status).toBe(401);
    expect(await signedInAs(client)).toBeUndefined();
    expect(notes.logs()).toMatch(/"msg":"oidc sign-in refused"/);
  });

  it("a code already used, replayed in another visitor's flow, signs nobody in", async () => {
    const victim = new WebClient('');
    const callback = new URL(await signInAtProvider(victim, 'dana', 'dana-idp-pass'));
    expect((await victim.get(callback.href)).res.status).toBe(302);
    // The attacker starts a flow of their own (their state in their session) and sends the used code.
    const attacker = new WebClient('');
    const start = await attacker.get(`${base}/users/login/oidc`);
    const state = new URL(start.res.headers.get('location')!).searchParams.get('state')!;
    const replay = new URL(callbackPrefix());
    replay.searchParams.set('code', callback.searchParams.get('code')!);
    replay.searchParams.set('state', state);
    replay.searchParams.set('iss', provider.issuer);
    const { res, text } = await attacker.get(replay.href);
    expect(res.status).toBe(401);
    expect(text).toContain('did not succeed');
    expect(await signedInAs(attacker)).toBeUndefined();
  });

  it('an expired ID token signs nobody in', async () => {
    const client = new WebClient('');
    const callback = await signInAtProvider(client, 'dana', 'dana-idp-pass');
    provider.expireIdTokens(true);
    try {
      const { res } = await client.get(callback);
      expect(res.status).toBe(401);
    } finally {
      provider.expireIdTokens(false);
    }
    expect(await signedInAs(client)).toBeUndefined();
    expect(notes.logs()).toContain('"code":"OAUTH_JWT_TIMESTAMP_CHECK_FAILED"');
  });

  it('an unverified e-mail address is neither stored nor made into the username', async () => {
    const client = new WebClient('');
    await client.get(await signInAtProvider(client, 'mallory', 'mallory-idp-pass'));
    expect(await signedInAs(client)).toBe('Mallory.Mayhem');
    const user = await userauth.client.find('Mallory.Mayhem');
    expect(user.emails).toEqual([]);
    expect(user.givenName).toBe('Mallory Mayhem');
  });

  it('a provider account named like a local user gets its own account, never the local one', async () => {
    const client = new WebClient('');
    await client.get(await signInAtProvider(client, 'carol-at-idp', 'carol-idp-pass'));
    expect(await signedInAs(client)).toBe('carol-2');
    expect(await userauth.client.find('carol')).toMatchObject({ provider: 'local', emails: [] });
    expect(await userauth.client.find('carol-2')).toMatchObject({
      provider: 'oidc',
      emails: ['carol@example.org'],
    });
    // The local carol still signs in with her password, as herself.
    const local = new WebClient(base);
    await local.login('carol', 'carol-password-1');
    expect(await signedInAs(local)).toBe('carol');
  });

  it('the provider away: the button answers 503 on the login form, not a 500', async () => {
    const away = await startTestNotesOnMariadb('notes_oidc_away', userauth, {
      NOTES_PUBLIC_URL: 'http://127.0.0.1:9',
      NOTES_OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`,
      NOTES_OIDC_CLIENT_ID: 'x',
      NOTES_OIDC_CLIENT_SECRET: 'y',
    });
    try {
      const { res, text } = await new WebClient(away.url).get('/users/login/oidc');
      expect(res.status).toBe(503);
      expect(text).toContain('action="/users/login"');
      expect(textOf(byId(text, 'loginmessage'))).toMatch(/^Sign-in with 127\.0\.0\.1 is unavailable/);
    } finally {
      await away.close();
    }
  });
});
