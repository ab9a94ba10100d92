import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotes, startTestNotesOnMariadb, type TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, csrfFrom, textOf, WebClient } from '../testing/web-client.js';

const STEP = 30_000;
type Setup = 'mariadb + redis sessions' | 'mariadb + database sessions' | 'sqlite';

/**
 * Second-factor sign-in and the profile page, through svc-notes and a real svc-userauth process,
 * with sessions in Redis, in MariaDB, and the embedded SQLite mode.
 */
describe.each<Setup>(['mariadb + redis sessions', 'mariadb + database sessions', 'sqlite'])(
  'accounts (%s)',
  (setup) => {
    let userauth: RunningUserauth;
    let notes: TestNotes;
    let dir: string | undefined;
    /** The time step every code below is made from (not close to its end, so the test has time). */
    let t0: number;
    const code = (secret: string, steps = 0) =>
      new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: t0 + steps * STEP });

    beforeAll(async () => {
      userauth = await startUserauth();
      const limits = {
        NOTES_LOGIN_DELAY_BASE_MS: '1',
        NOTES_LOGIN_DELAY_MAX_MS: '2',
        NOTES_LOGIN_LIMIT_PER_USER: '3',
      };
      if (setup === 'sqlite') {
        dir = mkdtempSync(join(tmpdir(), 'notes-accounts-'));
        notes = await startTestNotes({
          NOTES_DB_URL: `sqlite:${join(dir, 'notes.sqlite')}`,
          USERAUTH_URL: userauth.url,
          USERAUTH_API_KEY: userauth.apiKey,
          ...limits,
        });
      } else {
        notes = await startTestNotesOnMariadb('notes_accounts', userauth, {
          ...limits,
          ...(setup === 'mariadb + database sessions' ? { NOTES_REDIS_URL: undefined } : {}),
        });
      }
      const left = STEP - (Date.now() % STEP);
      if (left < 10_000) await sleep(left + 100);
      t0 = Date.now();
    });
    afterAll(async () => {
      await notes?.close();
      await userauth?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** A user with a second factor confirmed with the previous step's code: the secret and codes. */
    const enrolled = async (username: string) => {
      await userauth.createUser(username, `${username}-password-1`);
      const { secret } = await userauth.client.mfaEnrol(username);
      const { recoveryCodes } = await userauth.client.mfaConfirm(username, code(secret, -1));
      return { secret, recoveryCodes };
    };
    const signedIn = async (client: WebClient) => (await client.get('/notes/add')).res.status === 200;
    const passwordStep = async (client: WebClient, username: string) => {
      const r = await client.submit('/users/login', '/users/login', {
        username,
        password: `${username}-password-1`,
      });
      expect(r.res.status).toBe(302);
      expect(r.res.headers.get('location')).toBe('/users/login/2fa');
    };
    const codeStep = (client: WebClient, typed: string) =>
      client.submit('/users/login/2fa', '/users/login/2fa', { code: typed });

    it('a correct password alone is no sign-in: the code page follows, then the code signs in', async () => {
      const { secret } = await enrolled('erin');
      const client = new WebClient(notes.url);
      await passwordStep(client, 'erin');
      expect(await signedIn(client)).toBe(false);
      const page = await client.get('/users/login/2fa');
      expect(page.text).toContain('action="/users/login/2fa"');
      expect(page.text).toMatch(/<input[^>]*name="code"/);
      expect(textOf(byId(page.text, 'pending-user'))).toBe('erin');
      const pendingSid = client.cookie('notes.sid');

      const wrong = await codeStep(client, '000000');
      expect(wrong.res.status).toBe(401);
      expect(textOf(byId(wrong.text, 'loginmessage'))).toBe('Incorrect code');
      expect(await signedIn(client)).toBe(false);

      const right = await codeStep(client, code(secret));
      expect(right.res.status).toBe(302);
      expect(right.res.headers.get('location')).toBe('/');
      expect(client.cookie('notes.sid')).not.toBe(pendingSid);
      expect(await signedIn(client)).toBe(true);

      // The same code in another sign-in is a replay.
      const other = new WebClient(notes.url);
      await passwordStep(other, 'erin');
      const replay = await codeStep(other, code(secret));
      expect(replay.res.status).toBe(401);
      expect(textOf(byId(replay.text, 'loginmessage'))).toBe(
        'That code was used already: wait for the next one',
      );
      expect((await codeStep(other, code(secret, 1))).res.status).toBe(302);
    });

    it('the code page without a correct password first goes back to the login form', async () => {
      const client = new WebClient(notes.url);
      const r = await client.get('/users/login/2fa');
      expect(r.res.status).toBe(302);
      expect(r.res.headers.get('location')).toBe('/users/login');
    });

    it('a recovery code signs in once', async () => {
      const { recoveryCodes } = await enrolled('fay');
      const first = new WebClient(notes.url);
      await passwordStep(first, 'fay');
      expect((await codeStep(first, recoveryCodes[0]!.toUpperCase())).res.status).toBe(302);
      const again = new WebClient(notes.url);
      await passwordStep(again, 'fay');
      expect((await codeStep(again, recoveryCodes[0]!)).res.status).toBe(401);
    });

    it('wrong codes count toward the login limits (the next attempt waits)', async () => {
      await enrolled('gus');
      const client = new WebClient(notes.url);
      await passwordStep(client, 'gus');
      const delayed = () =>
        notes
          .logs()
          .split('\n')
          .filter((l) => l.includes('"msg":"login delayed"')).length;
      const before = delayed();
      for (let i = 0; i < 4; i++) expect((await codeStep(client, '111111')).res.status).toBe(401);
      expect(delayed()).toBeGreaterThan(before);
    });

    it('enrols on the profile page: a QR code made here, a confirming code, recovery codes once', async () => {
      await userauth.createUser('hal', 'hal-password-1');
      const client = new WebClient(notes.url);
      await client.login('hal', 'hal-password-1');
      const profile = await client.get('/users/profile');
      expect(profile.res.status).toBe(200);
      expect(profile.text).toContain('data-mfa="off"');
      const start = await client.post('/users/profile/mfa', {
        _csrf: csrfFrom(profile.text, '/users/profile/mfa'),
      });
      expect(start.res.status).toBe(303);
      const page = await client.get('/users/profile/mfa');
      expect(byId(page.text, 'mfa-qr')).toMatch(/^<svg[^>]*viewBox/);
      expect(page.text).not.toMatch(/<img|https?:\/\/(?!www\.w3\.org)/);
      const secret = textOf(byId(page.text, 'mfa-secret')).replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const wrong = await client.post('/users/profile/mfa/confirm', {
        _csrf: csrfFrom(page.text, '/users/profile/mfa/confirm'),
        code: '000000',
      });
      expect(wrong.res.status).toBe(400);
      expect(textOf(byId(wrong.text, 'mfamessage'))).toBe('Code: is not the current code of your app');
      // The same secret is shown again after a wrong code.
      expect(textOf(byId(wrong.text, 'mfa-secret')).replace(/\s/g, '')).toBe(secret);
      const ok = await client.post('/users/profile/mfa/confirm', {
        _csrf: csrfFrom(page.text, '/users/profile/mfa/confirm'),
        code: code(secret, -1),
      });
      expect(ok.res.status).toBe(200);
      const codes = [...(byId(ok.text, 'recovery-codes') ?? '').matchAll(/<li[^>]*>([^<]+)<\/li>/g)].map(
        (m) => m[1],
      );
      expect(codes).toHaveLength(10);
      const after = await client.get('/users/profile');
      expect(after.text).toContain('data-mfa="on"');
      expect(after.text).toContain('10 recovery codes left');
      // Off again with a code.
      const off = await client.post('/users/profile/mfa/disable', {
        _csrf: csrfFrom(after.text, '/users/profile/mfa/disable'),
        code: code(secret),
      });
      expect(off.res.status).toBe(303);
      expect((await userauth.client.mfaStatus('hal')).enabled).toBe(false);
    });

    it('changes name and e-mail; bad input keeps what was typed and names the field', async () => {
      await userauth.createUser('ida', 'ida-password-1');
      const client = new WebClient(notes.url);
      await client.login('ida', 'ida-password-1');
      const bad = await client.submit('/users/profile', '/users/profile', {
        givenName: 'Ida',
        familyName: 'Lovelace',
        email: 'not an address',
      });
      expect(bad.res.status).toBe(400);
      expect(textOf(byId(bad.text, 'profilemessage'))).toBe('E-mail: must be an e-mail address');
      expect(bad.text).toContain('value="not an address"');
      expect(bad.text).toContain('value="Lovelace"');
      const ok = await client.submit('/users/profile', '/users/profile', {
        givenName: 'Ida',
        familyName: 'Lovelace',
        email: 'ida@example.org',
      });
      expect(ok.res.status).toBe(303);
      expect(await userauth.client.find('ida')).toMatchObject({
        givenName: 'Ida',
        familyName: 'Lovelace',
        emails: ['ida@example.org'],
      });
      const profile = await client.get('/users/profile?saved=profile');
      expect(textOf(byId(profile.text, 'profilenotice'))).toBe('Your profile is saved.');
    });

    it('a password change needs the current one and signs out the other sessions of that user only', async () => {
      await userauth.createUser('jo', 'jo-password-1');
      await userauth.createUser('kim', 'kim-password-1');
      const here = new WebClient(notes.url);
      const there = new WebClient(notes.url);
      const bystander = new WebClient(notes.url);
      await here.login('jo', 'jo-password-1');
      await there.login('jo', 'jo-password-1');
      await bystander.login('kim', 'kim-password-1');
      const listed = await here.get('/users/profile');
      expect([...listed.text.matchAll(/data-session="[^"]+"/g)]).toHaveLength(2);
      expect(listed.text).toContain('data-current="true"');

      const wrong = await here.submit('/users/profile', '/users/profile/password', {
        current: 'not-it-at-all',
        password: 'jo-password-2',
        confirm: 'jo-password-2',
      });
      expect(wrong.res.status).toBe(400);
      expect(textOf(byId(wrong.text, 'passwordmessage'))).toBe('Current password: is not correct');
      const short = await here.submit('/users/profile', '/users/profile/password', {
        current: 'jo-password-1',
        password: 'short',
        confirm: 'short',
      });
      expect(textOf(byId(short.text, 'passwordmessage'))).toMatch(/^New password: /);
      expect(await signedIn(there)).toBe(true);

      const ok = await here.submit('/users/profile', '/users/profile/password', {
        current: 'jo-password-1',
        password: 'jo-password-2',
        confirm: 'jo-password-2',
      });
      expect(ok.res.status).toBe(303);
      expect(await signedIn(here)).toBe(true);
      expect(await signedIn(there)).toBe(false);
      expect(await signedIn(bystander)).toBe(true);
      expect((await userauth.client.passwordCheck('jo', 'jo-password-2')).check).toBe(true);
      const after = await here.get('/users/profile');
      expect([...after.text.matchAll(/data-session="[^"]+"/g)]).toHaveLength(1);
    });

    it('lists only sessions that still exist: signing in again in the same browser replaces the old one', async () => {
      await userauth.createUser('max', 'max-password-1');
      const client = new WebClient(notes.url);
      await client.login('max', 'max-password-1');
      // Signing in again from a signed-in page: the old session is destroyed, its row stays behind.
      const before = await client.get('/users/profile');
      const again = await client.post('/users/login', {
        _csrf: csrfFrom(before.text, '/users/profile'),
        username: 'max',
        password: 'max-password-1',
      });
      expect(again.res.status).toBe(302);
      const page = await client.get('/users/profile');
      expect([...page.text.matchAll(/data-session="[^"]+"/g)]).toHaveLength(1);
    });

    it('ends one of its own sessions from the list', async () => {
      await userauth.createUser('lea', 'lea-password-1');
      const here = new WebClient(notes.url);
      const there = new WebClient(notes.url);
      await here.login('lea', 'lea-password-1');
      await there.login('lea', 'lea-password-1');
      const page = await here.get('/users/profile');
      const other = /<li[^>]*data-session="([^"]+)"(?![^>]*data-current)/.exec(page.text)![1]!;
      const r = await here.post('/users/profile/sessions/end', {
        _csrf: csrfFrom(page.text, '/users/profile/sessions/end'),
        session: other,
      });
      expect(r.res.status).toBe(303);
      expect(await signedIn(there)).toBe(false);
      expect(await signedIn(here)).toBe(true);
    });
  },
);
