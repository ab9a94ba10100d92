import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dialect, startTestService, type TestService } from '../testing/in-process.js';

const STEP = 30_000;

/** The second-factor endpoints on MariaDB and SQLite, with the service's clock moved by the test. */
describe.each<Dialect>(['mysql', 'sqlite'])('TOTP second factor (%s)', (dialect) => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(dialect);
    // The middle of a time step, so that codes of this step stay current until the clock moves.
    svc.clock.now = Math.floor(Date.now() / STEP) * STEP + STEP / 2;
  });
  afterAll(async () => {
    await svc?.close();
  });

  const codeAt = (secret: string, timestamp = svc.clock.now) =>
    new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
      timestamp,
    });
  const make = async (username: string) => {
    expect(
      (await svc.call('POST', '/create-user', { username, password: `${username}-password` })).status,
    ).toBe(201);
  };
  /** Enrolled and confirmed: the secret and the recovery codes. */
  const enrolled = async (username: string) => {
    await make(username);
    const { secret } = (await svc.call('POST', `/mfa/${username}/enrol`)).body as { secret: string };
    const confirmed = await svc.call('POST', `/mfa/${username}/confirm`, { code: codeAt(secret) });
    expect(confirmed.status).toBe(200);
    svc.clock.now += STEP; // the confirming code's step is used: later checks start on the next one
    return { secret, recoveryCodes: (confirmed.body as { recoveryCodes: string[] }).recoveryCodes };
  };
  const verify = async (username: string, code: string) =>
    (await svc.call('POST', `/mfa/${username}/verify`, { code })).body as {
      check: boolean;
      message?: string;
    };

  it('enrols: a secret and its otpauth URI, the same until restarted, stored sealed', async () => {
    await make('erin');
    expect((await svc.call('GET', '/mfa/erin')).body).toEqual({
      available: true,
      enabled: false,
      pending: false,
      recoveryCodesLeft: 0,
    });
    const first = await svc.call('POST', '/mfa/erin/enrol');
    expect(first.status).toBe(200);
    const { secret, uri } = first.body as { secret: string; uri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(
      `otpauth://totp/Notes:erin?issuer=Notes&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect((await svc.call('POST', '/mfa/erin/enrol')).body).toMatchObject({ secret });
    const restarted = (await svc.call('POST', '/mfa/erin/enrol', { restart: true })).body as {
      secret: string;
    };
    expect(restarted.secret).not.toBe(secret);
    expect((await svc.call('GET', '/mfa/erin')).body).toMatchObject({ enabled: false, pending: true });
    const [rows] = await svc.db.query("SELECT secret FROM mfa WHERE username = 'erin'");
    const stored = (rows as Array<{ secret: string }>)[0]!.secret;
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain(restarted.secret);
    expect(svc.responses.join('\n')).not.toContain(stored.slice(3, 20));
  });

  it('confirms with a current code only; then ten recovery codes, once, and enrolling again is a 409', async () => {
    await make('fay');
    const { secret } = (await svc.call('POST', '/mfa/fay/enrol')).body as { secret: string };
    const wrong = await svc.call('POST', '/mfa/fay/confirm', {
      code: codeAt(secret, svc.clock.now - 10 * STEP),
    });
    expect(wrong.status).toBe(400);
    expect((wrong.body as { message: string }).message).toBe('code: is not the current code of your app');
    const ok = await svc.call('POST', '/mfa/fay/confirm', { code: codeAt(secret) });
    expect(ok.status).toBe(200);
    const codes = (ok.body as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(new Set(codes).size).toBe(10);
    expect((await svc.call('GET', '/mfa/fay')).body).toEqual({
      available: true,
      enabled: true,
      pending: false,
      recoveryCodesLeft: 10,
    });
    expect((await svc.call('POST', '/mfa/fay/enrol')).status).toBe(409);
    expect((await svc.call('POST', '/mfa/fay/confirm', { code: codeAt(secret) })).status).toBe(409);
    const [rows] = await svc.db.query("SELECT recoveryCodes FROM mfa WHERE username = 'fay'");
    const stored = (rows as Array<{ recoveryCodes: string }>)[0]!.recoveryCodes;
    for (const c of codes) expect(stored).not.toContain(c.replace('-', ''));
  });

  it('accepts each time step once: the same code again, or an older one, is refused', async () => {
    const { secret } = await enrolled('gus');
    const now = codeAt(secret);
    expect(await verify('gus', now)).toMatchObject({ check: true, method: 'totp' });
    expect(await verify('gus', now)).toEqual({
      check: false,
      username: 'gus',
      message: 'That code was used already: wait for the next one',
    });
    // The previous step's code is still within the drift window, but older than the one used.
    expect((await verify('gus', codeAt(secret, svc.clock.now - STEP))).check).toBe(false);
    svc.clock.now += STEP;
    expect((await verify('gus', codeAt(secret))).check).toBe(true);
    expect(await verify('gus', '000000')).toMatchObject({ check: false, message: 'Incorrect code' });
  });

  it('two checks racing with one code: exactly one passes', async () => {
    const { secret } = await enrolled('hal');
    const code = codeAt(secret);
    const results = await Promise.all(Array.from({ length: 6 }, () => verify('hal', code)));
    expect(results.filter((r) => r.check)).toHaveLength(1);
  });

  it('recovery codes work once each, typed in any case and without the dash', async () => {
    const { recoveryCodes } = await enrolled('ida');
    const [first, second] = recoveryCodes as [string, string];
    expect(await verify('ida', first)).toMatchObject({
      check: true,
      method: 'recovery',
      recoveryCodesLeft: 9,
    });
    expect((await verify('ida', first)).check).toBe(false);
    expect(await verify('ida', second.replace('-', '').toUpperCase())).toMatchObject({
      check: true,
      recoveryCodesLeft: 8,
    });
    expect((await svc.call('GET', '/mfa/ida')).body).toMatchObject({ recoveryCodesLeft: 8 });
  });

  it('disable turns it off; destroying the user takes it along', async () => {
    const { secret } = await enrolled('jo');
    expect((await svc.call('DELETE', '/mfa/jo')).body).toEqual({ removed: true });
    expect((await svc.call('GET', '/mfa/jo')).body).toMatchObject({ enabled: false, pending: false });
    expect(await verify('jo', codeAt(secret))).toMatchObject({
      check: false,
      message: 'No second factor is enabled',
    });
    expect((await svc.call('DELETE', '/mfa/jo')).body).toEqual({ removed: false });
    await enrolled('kit');
    expect((await svc.call('DELETE', '/destroy/kit')).status).toBe(200);
    const [rows] = await svc.db.query("SELECT COUNT(*) AS n FROM mfa WHERE username = 'kit'");
    expect(Number((rows as Array<{ n: number }>)[0]!.n)).toBe(0);
  });

  it('bad input is a 400 naming the field; unknown users 404', async () => {
    expect((await svc.call('GET', '/mfa/nobody')).status).toBe(404);
    expect((await svc.call('POST', '/mfa/nobody/enrol')).status).toBe(404);
    const noCode = await svc.call('POST', '/mfa/gus/verify', {});
    expect(noCode.status).toBe(400);
    expect((noCode.body as { message: string }).message).toBe('code: is required');
    const extra = await svc.call('POST', '/mfa/gus/verify', { code: '1', other: 1 });
    expect(extra.status).toBe(400);
    expect((await svc.call('POST', '/mfa/gus/enrol', { restart: 'yes' })).status).toBe(400);
  });

  it('without USERAUTH_MFA_KEY nothing can be enrolled (503 saying so)', async () => {
    const bare = await startTestService(dialect, 4, { mfaKey: '' });
    try {
      await bare.call('POST', '/create-user', { username: 'lea', password: 'lea-password' });
      const r = await bare.call('POST', '/mfa/lea/enrol');
      expect(r.status).toBe(503);
      expect((r.body as { message: string }).message).toMatch(/USERAUTH_MFA_KEY/);
      expect((await bare.call('GET', '/mfa/lea')).body).toMatchObject({ available: false, enabled: false });
    } finally {
      await bare.close();
    }
  });
});
