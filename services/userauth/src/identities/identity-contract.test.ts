import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dialect, startTestService, type TestService } from '../testing/in-process.js';

const ISSUER = 'https://id.example.org';

/** POST /find-or-create-identity on MariaDB and SQLite through the same code. */
describe.each<Dialect>(['mysql', 'sqlite'])('find-or-create-identity (%s)', (dialect) => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(dialect);
  });
  afterAll(async () => {
    await svc?.close();
  });
  const signIn = (body: Record<string, unknown>) => svc.call('POST', '/find-or-create-identity', body);

  it('makes a user on the first sign-in (201) and finds the same one afterwards (200)', async () => {
    const first = await signIn({
      issuer: ISSUER,
      subject: 'sub-1',
      username: 'Zoë Ünal',
      givenName: 'Zoë',
      familyName: 'Ünal',
      emails: ['zoe@example.org'],
    });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      created: true,
      user: {
        id: 'Zoe.Unal',
        username: 'Zoe.Unal',
        provider: 'oidc',
        givenName: 'Zoë',
        familyName: 'Ünal',
        middleName: '',
        emails: ['zoe@example.org'],
        photos: [],
      },
    });
    // Later sign-ins: the same user whatever the provider now says of names (the profile wins).
    const again = await signIn({ issuer: ISSUER, subject: 'sub-1', username: 'other', givenName: 'Z' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, user: { username: 'Zoe.Unal', givenName: 'Zoë' } });
  });

  it('never reuses a local account of the same name, and the new one has no password', async () => {
    expect(
      (await svc.call('POST', '/create-user', { username: 'alice', password: 'alice-pass-1' })).status,
    ).toBe(201);
    const oidc = await signIn({ issuer: ISSUER, subject: 'alice-at-idp', username: 'alice@example.org' });
    expect(oidc.status).toBe(201);
    expect(oidc.body).toMatchObject({ user: { username: 'alice-2', provider: 'oidc' } });
    const local = await svc.call('GET', '/find/alice');
    expect(local.body).toMatchObject({ provider: 'local', emails: [] });
    const check = await svc.call('POST', '/password-check', {
      username: 'alice-2',
      password: 'alice-pass-1',
    });
    expect(check.body).toMatchObject({ check: false });
    // A second provider account wanting the same name gets yet another user.
    const third = await signIn({ issuer: ISSUER, subject: 'another-alice', username: 'alice' });
    expect(third.body).toMatchObject({ user: { username: 'alice-3' } });
  });

  it('keys on issuer and subject together, case-sensitively', async () => {
    const a = await signIn({ issuer: ISSUER, subject: 'Same', username: 'sam' });
    const b = await signIn({ issuer: 'https://other.example.org', subject: 'Same', username: 'sam' });
    const c = await signIn({ issuer: ISSUER, subject: 'same', username: 'sam' });
    const names = [a, b, c].map((r) => (r.body as { user: { username: string } }).user.username);
    expect(new Set(names).size).toBe(3);
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
  });

  it('concurrent first sign-ins of one identity make one user', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => signIn({ issuer: ISSUER, subject: 'racer', username: 'racer' })),
    );
    const names = new Set(answers.map((r) => (r.body as { user: { username: string } }).user.username));
    expect(names).toEqual(new Set(['racer']));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('a destroyed user takes its identity along: the next sign-in starts afresh', async () => {
    await signIn({ issuer: ISSUER, subject: 'leaver', username: 'leaver', givenName: 'Old' });
    expect((await svc.call('DELETE', '/destroy/leaver')).status).toBe(200);
    const back = await signIn({ issuer: ISSUER, subject: 'leaver', username: 'leaver', givenName: 'New' });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ user: { username: 'leaver', givenName: 'New' } });
  });

  it('falls back to "user" when the wish has nothing usable', async () => {
    const r = await signIn({ issuer: ISSUER, subject: 'emoji', username: '🙂🙂' });
    expect(r.body).toMatchObject({ user: { username: 'user' } });
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ subject: 's' }, 'issuer'],
      [{ issuer: 'ftp://x', subject: 's' }, 'issuer'],
      [{ issuer: ISSUER, subject: '' }, 'subject'],
      [{ issuer: ISSUER, subject: 's', emails: ['not-an-address'] }, 'emails.0'],
      [{ issuer: ISSUER, subject: 's', givenName: 'x'.repeat(101) }, 'givenName'],
      [{ issuer: ISSUER, subject: 's', password: 'sneaky-password' }, ''],
    ];
    for (const [body, field] of cases) {
      const r = await signIn(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.body as { message: string }).message).toMatch(new RegExp(`^${field.replace('.', '\\.')}`));
    }
  });
});
