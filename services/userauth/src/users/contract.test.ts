import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dialect, startTestService, type TestService } from '../testing/in-process.js';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
const HASH_LIKE = /\$2[aby]\$\d\d\$/;
const PASSWORDS = [
  'correct horse 1',
  'imported-secret',
  'p@ss\'word"; DROP TABLE users;--',
  'new password 2',
];

/** The whole REST contract (DESIGN 4.3), run on MariaDB and on SQLite through the same code. */
describe.each<Dialect>(['mysql', 'sqlite'])('userauth REST contract (%s)', (dialect) => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(dialect);
  });
  afterAll(async () => {
    await svc?.close();
  });

  const expectError = (
    a: { status: number; body: unknown },
    status: number,
    code: string,
    field?: string,
  ) => {
    expect(a.status).toBe(status);
    expect(a.body).toMatchObject({ code, message: expect.any(String) });
    expect(Object.keys(a.body as object).sort()).toEqual(['code', 'message']);
    if (field) expect((a.body as { message: string }).message).toMatch(new RegExp(`^${field}: `));
  };
  const expectInvalid = (a: { status: number; body: unknown }, field: string) =>
    expectError(a, 400, 'invalid', field);
  const expectConflict = (a: { status: number; body: unknown }) => expectError(a, 409, 'conflict');

  describe('health and API keys', () => {
    it('answers /healthz and /readyz without a key', async () => {
      expect(await svc.call('GET', '/healthz', undefined, { auth: null })).toMatchObject({ status: 200 });
      expect(await svc.call('GET', '/readyz', undefined, { auth: null })).toMatchObject({ status: 200 });
    });

    const endpoints: Array<[string, string, unknown]> = [
      ['POST', '/create-user', { username: 'x1', password: 'abcdefgh1' }],
      ['POST', '/find-or-create', { username: 'x1', password: 'abcdefgh1' }],
      ['GET', '/find/x1', undefined],
      ['GET', '/list', undefined],
      ['POST', '/update-user/x1', { givenName: 'X' }],
      ['DELETE', '/destroy/x1', undefined],
      ['POST', '/password-check', { username: 'x1', password: 'abcdefgh1' }],
    ];
    const bad: Array<[string, string | null]> = [
      ['missing', null],
      ['wrong key', basic('notes:not-the-right-key-000000')],
      ['right key, other name', basic('admin:notes-test-key-0123456789')],
      ['no colon', basic('notes-test-key-0123456789')],
      ['bearer scheme', 'Bearer notes-test-key-0123456789'],
      ['garbage', 'Basic !!!'],
    ];
    it.each(endpoints)('%s %s is 401 without a valid key', async (method, path, body) => {
      for (const [, auth] of bad) {
        const a = await svc.call(method, path, body, { auth });
        expectError(a, 401, 'unauthorized');
      }
      expect((await svc.call('GET', '/find/x1')).status).toBe(404); // nothing was created
    });

    it('accepts every configured key', async () => {
      expect(
        (await svc.call('GET', '/list', undefined, { auth: basic('admin:admin-test-key-9876543210') }))
          .status,
      ).toBe(200);
    });
  });

  describe('create-user, find, list', () => {
    it('creates a user with every field and returns it without any hash', async () => {
      const a = await svc.call('POST', '/create-user', {
        username: 'alice',
        password: PASSWORDS[0],
        familyName: 'Liddell',
        givenName: 'Alice',
        middleName: 'Pleasance',
        emails: ['alice@example.org', 'a.liddell@example.com'],
        photos: ['https://example.org/alice.png'],
      });
      expect(a.status).toBe(201);
      expect(a.body).toEqual({
        id: 'alice',
        username: 'alice',
        provider: 'local',
        familyName: 'Liddell',
        givenName: 'Alice',
        middleName: 'Pleasance',
        emails: ['alice@example.org', 'a.liddell@example.com'],
        photos: ['https://example.org/alice.png'],
      });
      expect((await svc.call('GET', '/find/alice')).body).toEqual(a.body);
    });

    it('fills defaults for optional fields', async () => {
      const a = await svc.call('POST', '/create-user', { username: 'bob.b@x-y_z', password: 'bobspassword' });
      expect(a.body).toEqual({
        id: 'bob.b@x-y_z',
        username: 'bob.b@x-y_z',
        provider: 'local',
        familyName: '',
        givenName: '',
        middleName: '',
        emails: [],
        photos: [],
      });
      expect((await svc.call('GET', `/find/${encodeURIComponent('bob.b@x-y_z')}`)).status).toBe(200);
    });

    it('stores unicode, quotes and SQL-looking strings intact', async () => {
      const tricky = {
        username: 'tricky',
        password: PASSWORDS[2],
        familyName: 'O\'Brien"; DROP TABLE users;--',
        givenName: 'Zoë 🦄 中文 مرحبا',
        middleName: "' OR '1'='1",
        emails: ['zoe+tag@example.org'],
      };
      const a = await svc.call('POST', '/create-user', tricky);
      expect(a.status).toBe(201);
      const found = await svc.call('GET', '/find/tricky');
      expect(found.body).toMatchObject({
        familyName: tricky.familyName,
        givenName: tricky.givenName,
        middleName: tricky.middleName,
      });
      const check = await svc.call('POST', '/password-check', { username: 'tricky', password: PASSWORDS[2] });
      expect(check.body).toEqual({ check: true, username: 'tricky' });
    });

    it('treats usernames case-sensitively on both databases', async () => {
      expect(
        (await svc.call('POST', '/create-user', { username: 'Alice', password: 'other-password' })).status,
      ).toBe(201);
      expect((await svc.call('GET', '/find/Alice')).body).toMatchObject({ username: 'Alice', givenName: '' });
      expect((await svc.call('GET', '/find/ALICE')).status).toBe(404);
    });

    it('refuses a duplicate with 409', async () => {
      expectConflict(await svc.call('POST', '/create-user', { username: 'alice', password: 'whatever1' }));
      expect((await svc.call('GET', '/find/alice')).body).toMatchObject({ givenName: 'Alice' });
    });

    it('answers 404 for an unknown user', async () => {
      expectError(await svc.call('GET', '/find/nobody'), 404, 'not_found');
    });

    it('lists every user, ordered by username', async () => {
      const a = await svc.call('GET', '/list');
      expect(a.status).toBe(200);
      const names = (a.body as Array<{ username: string }>).map((u) => u.username);
      expect(names).toEqual(['Alice', 'alice', 'bob.b@x-y_z', 'tricky']);
      for (const u of a.body as object[])
        expect(Object.keys(u).sort()).toEqual([
          'emails',
          'familyName',
          'givenName',
          'id',
          'middleName',
          'photos',
          'provider',
          'username',
        ]);
    });
  });

  describe('bad input is a 400 naming the field', () => {
    const cases: Array<[string, unknown, string]> = [
      ['missing username', { password: 'abcdefgh1' }, 'username'],
      ['missing password', { username: 'nopw' }, 'password'],
      ['username not a string', { username: 42, password: 'abcdefgh1' }, 'username'],
      ['username empty', { username: '', password: 'abcdefgh1' }, 'username'],
      ['username too long', { username: 'a'.repeat(65), password: 'abcdefgh1' }, 'username'],
      ['username with a quote', { username: "o'brien", password: 'abcdefgh1' }, 'username'],
      ['username with a slash', { username: 'a/b', password: 'abcdefgh1' }, 'username'],
      ['username with unicode', { username: 'zoë', password: 'abcdefgh1' }, 'username'],
      ['password not a string', { username: 'u1', password: 12345678 }, 'password'],
      ['password too short', { username: 'u1', password: 'short' }, 'password'],
      ['password over 72 bytes', { username: 'u1', password: 'é'.repeat(37) }, 'password'],
      ['familyName an object', { username: 'u1', password: 'abcdefgh1', familyName: { a: 1 } }, 'familyName'],
      ['givenName null', { username: 'u1', password: 'abcdefgh1', givenName: null }, 'givenName'],
      [
        'givenName too long',
        { username: 'u1', password: 'abcdefgh1', givenName: 'x'.repeat(101) },
        'givenName',
      ],
      [
        'middleName control char',
        { username: 'u1', password: 'abcdefgh1', middleName: 'a\u0000b' },
        'middleName',
      ],
      ['emails a string', { username: 'u1', password: 'abcdefgh1', emails: 'a@b.org' }, 'emails'],
      ['emails item a number', { username: 'u1', password: 'abcdefgh1', emails: [1] }, 'emails.0'],
      [
        'emails item not an address',
        { username: 'u1', password: 'abcdefgh1', emails: ['a@b.org', 'nope'] },
        'emails.1',
      ],
      [
        'emails 11 items',
        {
          username: 'u1',
          password: 'abcdefgh1',
          emails: Array.from({ length: 11 }, (_, i) => `a${i}@b.org`),
        },
        'emails',
      ],
      [
        'photos not http',
        { username: 'u1', password: 'abcdefgh1', photos: ['javascript:alert(1)'] },
        'photos.0',
      ],
      ['provider too long', { username: 'u1', password: 'abcdefgh1', provider: 'p'.repeat(51) }, 'provider'],
      ['unknown field', { username: 'u1', password: 'abcdefgh1', isAdmin: true }, 'isAdmin'],
    ];
    it.each(cases)('create-user: %s', async (_name, body, field) => {
      expectInvalid(await svc.call('POST', '/create-user', body), field);
      expectInvalid(await svc.call('POST', '/find-or-create', body), field);
    });

    it('refuses bodies that are not a JSON object', async () => {
      for (const raw of ['[1,2]', '"alice"', 'null', '42']) {
        expectInvalid(await svc.call('POST', '/create-user', undefined, { raw }), 'body');
      }
      expectInvalid(await svc.call('POST', '/create-user'), 'body');
    });

    it('refuses broken JSON without echoing it', async () => {
      const a = await svc.call('POST', '/create-user', undefined, {
        raw: '{"username":"u","password":"leak-me-please',
      });
      expectError(a, 400, 'invalid', 'body');
      expect(a.text).not.toContain('leak-me');
    });

    it('refuses a body that is not JSON', async () => {
      const a = await svc.call('POST', '/create-user', undefined, {
        raw: 'username=u&password=abcdefgh1',
        type: 'application/x-www-form-urlencoded',
      });
      expectError(a, 400, 'invalid', 'body');
    });

    it('refuses an oversize body with a 413 naming the limit, not a 500', async () => {
      const a = await svc.call('POST', '/create-user', {
        username: 'big',
        password: 'abcdefgh1',
        familyName: 'x'.repeat(70_000),
      });
      expectError(a, 413, 'too_large', 'body');
      expect((a.body as { message: string }).message).toContain('65536 bytes');
      expect((await svc.call('GET', '/find/big')).status).toBe(404);
    });

    it('refuses an invalid username in the path', async () => {
      expectInvalid(await svc.call('GET', `/find/${encodeURIComponent("x' OR 1=1")}`), 'username');
      expectInvalid(await svc.call('GET', `/find/${'a'.repeat(65)}`), 'username');
      expectInvalid(await svc.call('DELETE', `/destroy/${encodeURIComponent('a b')}`), 'username');
    });

    it('answers unknown endpoints and methods in the same error shape', async () => {
      expectError(await svc.call('GET', '/nothing-here'), 404, 'not_found');
      expectError(await svc.call('PUT', '/list'), 405, 'invalid');
    });
  });

  describe('bcrypt', () => {
    it('stores an already-hashed password as is ($2a$, $2b$ and $2y$)', async () => {
      const hash = await bcrypt.hash(PASSWORDS[1]!, 4);
      const variants = {
        imp2b: hash,
        imp2a: hash.replace(/^\$2b\$/, '$2a$'),
        imp2y: hash.replace(/^\$2b\$/, '$2y$'),
      };
      for (const [username, password] of Object.entries(variants)) {
        expect((await svc.call('POST', '/create-user', { username, password })).status).toBe(201);
        expect(
          (await svc.call('POST', '/password-check', { username, password: PASSWORDS[1] })).body,
        ).toEqual({ check: true, username });
        // the hash itself is not a password that checks
        expect((await svc.call('POST', '/password-check', { username, password })).body).toMatchObject({
          check: false,
        });
      }
    });

    it('hashes plain passwords at the configured cost (never stores them)', async () => {
      const [rows] = await svc.db.query("SELECT passwordHash FROM users WHERE username = 'alice'");
      const stored = (rows as Array<{ passwordHash: string }>)[0]!.passwordHash;
      expect(stored).toMatch(/^\$2b\$04\$/);
      expect(await bcrypt.compare(PASSWORDS[0]!, stored)).toBe(true);
    });
  });

  describe('password-check', () => {
    it('says true for the right password and false with a message otherwise', async () => {
      expect(
        (await svc.call('POST', '/password-check', { username: 'alice', password: PASSWORDS[0] })).body,
      ).toEqual({
        check: true,
        username: 'alice',
      });
      const wrong = await svc.call('POST', '/password-check', {
        username: 'alice',
        password: 'not it at all',
      });
      expect(wrong.status).toBe(200);
      expect(wrong.body).toEqual({ check: false, username: 'alice', message: expect.any(String) });
      const unknown = await svc.call('POST', '/password-check', { username: 'nobody', password: 'whatever' });
      expect(unknown.body).toEqual({
        check: false,
        username: 'nobody',
        message: (wrong.body as { message: string }).message,
      });
      expect(
        (await svc.call('POST', '/password-check', { username: 'alice', password: '' })).body,
      ).toMatchObject({ check: false });
      expect(
        (
          await svc.call('POST', '/password-check', {
            username: 'alice',
            password: `${PASSWORDS[0]}${'x'.repeat(80)}`,
          })
        ).body,
      ).toMatchObject({ check: false });
    });

    it('validates its body', async () => {
      expectInvalid(await svc.call('POST', '/password-check', { username: 'alice' }), 'password');
      expectInvalid(await svc.call('POST', '/password-check', { password: 'x' }), 'username');
      expectInvalid(
        await svc.call('POST', '/password-check', { username: 'alice', password: 5 }),
        'password',
      );
      expectInvalid(
        await svc.call('POST', '/password-check', { username: 'alice', password: 'x'.repeat(1025) }),
        'password',
      );
      expectInvalid(
        await svc.call('POST', '/password-check', { username: 'alice', password: 'x', extra: 1 }),
        'extra',
      );
    });
  });

  describe('find-or-create', () => {
    it('creates when absent (201), returns the existing user unchanged when present (200)', async () => {
      const first = await svc.call('POST', '/find-or-create', {
        username: 'tw.carol',
        provider: 'twitter',
        givenName: 'Carol',
        photos: ['http://pbs.example/c.jpg'],
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ id: 'tw.carol', provider: 'twitter', givenName: 'Carol' });
      const again = await svc.call('POST', '/find-or-create', {
        username: 'tw.carol',
        provider: 'twitter',
        givenName: 'Other',
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
    });

    it('never merges a third-party identity with a local account (409 both ways)', async () => {
      expectConflict(await svc.call('POST', '/find-or-create', { username: 'alice', provider: 'twitter' }));
      expectConflict(
        await svc.call('POST', '/find-or-create', { username: 'tw.carol', password: 'abcdefgh1' }),
      );
      expect((await svc.call('GET', '/find/alice')).body).toMatchObject({ provider: 'local' });
    });

    it('a third-party user without a password never passes password-check', async () => {
      for (const password of ['', 'anything-at-all']) {
        expect(
          (await svc.call('POST', '/password-check', { username: 'tw.carol', password })).body,
        ).toMatchObject({ check: false });
      }
    });

    it('returns an existing local user', async () => {
      const a = await svc.call('POST', '/find-or-create', { username: 'alice' });
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ username: 'alice', givenName: 'Alice' });
    });
  });

  describe('update-user', () => {
    it('changes only the given fields', async () => {
      const a = await svc.call('POST', '/update-user/alice', {
        givenName: 'Alicia',
        emails: ['new@example.org'],
      });
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({
        username: 'alice',
        givenName: 'Alicia',
        familyName: 'Liddell',
        emails: ['new@example.org'],
      });
      expect((await svc.call('POST', '/update-user/alice', {})).body).toEqual(a.body);
    });

    it('changes the password', async () => {
      expect((await svc.call('POST', '/update-user/alice', { password: PASSWORDS[3] })).status).toBe(200);
      expect(
        (await svc.call('POST', '/password-check', { username: 'alice', password: PASSWORDS[0] })).body,
      ).toMatchObject({ check: false });
      expect(
        (await svc.call('POST', '/password-check', { username: 'alice', password: PASSWORDS[3] })).body,
      ).toMatchObject({ check: true });
    });

    it('accepts its own username but refuses renames and bad input', async () => {
      expect(
        (await svc.call('POST', '/update-user/alice', { username: 'alice', middleName: '' })).status,
      ).toBe(200);
      expectInvalid(await svc.call('POST', '/update-user/alice', { username: 'eve' }), 'username');
      expectInvalid(await svc.call('POST', '/update-user/alice', { emails: 'x' }), 'emails');
      expectInvalid(await svc.call('POST', '/update-user/alice', { password: 'short' }), 'password');
      expectInvalid(await svc.call('POST', '/update-user/alice', { id: 'x' }), 'id');
    });

    it('addEmails / removeEmails change the list in place; emails replaces it', async () => {
      const emails = async () => ((await svc.call('GET', '/find/alice')).body as { emails: string[] }).emails;
      await svc.call('POST', '/update-user/alice', { emails: ['one@example.org', 'two@example.org'] });
      const added = await svc.call('POST', '/update-user/alice', {
        addEmails: ['three@example.org', 'TWO@example.org'],
      });
      expect(added.status).toBe(200);
      expect(await emails()).toEqual(['one@example.org', 'two@example.org', 'three@example.org']);
      const edited = await svc.call('POST', '/update-user/alice', {
        removeEmails: ['ONE@example.org'],
        addEmails: ['four@example.org'],
        givenName: 'Alice',
      });
      expect(edited.body).toMatchObject({
        givenName: 'Alice',
        emails: ['two@example.org', 'three@example.org', 'four@example.org'],
      });
      expectInvalid(
        await svc.call('POST', '/update-user/alice', { removeEmails: ['absent@example.org'] }),
        'removeEmails',
      );
      expectInvalid(
        await svc.call('POST', '/update-user/alice', { addEmails: ['x@example.org'], emails: [] }),
        'emails',
      );
      expectInvalid(await svc.call('POST', '/update-user/alice', { addEmails: ['not-mail'] }), 'addEmails.0');
      const many = Array.from({ length: 8 }, (_, i) => `m${i}@example.org`);
      expectInvalid(await svc.call('POST', '/update-user/alice', { addEmails: many }), 'addEmails');
      expect(await emails()).toEqual(['two@example.org', 'three@example.org', 'four@example.org']);
      expectError(
        await svc.call('POST', '/update-user/nobody', { addEmails: ['n@example.org'] }),
        404,
        'not_found',
      );
    });

    it('concurrent addEmails all land (compare and set, no lost update)', async () => {
      await svc.call('POST', '/update-user/alice', { emails: [] });
      const adds = Array.from({ length: 4 }, (_, i) => `c${i}@example.org`);
      const answers = await Promise.all(
        adds.map((a) => svc.call('POST', '/update-user/alice', { addEmails: [a] })),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const { emails } = (await svc.call('GET', '/find/alice')).body as { emails: string[] };
      expect([...emails].sort()).toEqual(adds);
    });

    it('answers 404 for an unknown user', async () => {
      expectError(await svc.call('POST', '/update-user/nobody', { givenName: 'N' }), 404, 'not_found');
      expect((await svc.call('GET', '/find/nobody')).status).toBe(404);
    });
  });

  describe('destroy', () => {
    it('deletes a user ({}), then 404', async () => {
      const a = await svc.call('DELETE', '/destroy/tricky');
      expect(a.status).toBe(200);
      expect(a.body).toEqual({});
      expectError(await svc.call('GET', '/find/tricky'), 404, 'not_found');
      expectError(await svc.call('DELETE', '/destroy/tricky'), 404, 'not_found');
      expect(
        (await svc.call('POST', '/password-check', { username: 'tricky', password: PASSWORDS[2] })).body,
      ).toMatchObject({ check: false });
    });
  });

  describe('unknown errors', () => {
    it('answer a generic 500 and log the request id, never SQL', async () => {
      // identities and mfa refer to users (foreign key): they go first.
      await svc.db.getQueryInterface().dropTable('identities');
      await svc.db.getQueryInterface().dropTable('mfa');
      await svc.db.getQueryInterface().dropTable('users');
      const a = await svc.call('GET', '/list');
      expect(a.status).toBe(500);
      expect(a.body).toEqual({ code: 'internal', message: 'Internal error' });
      await new Promise((r) => setTimeout(r, 50));
      const line = svc
        .logs()
        .split('\n')
        .find((l) => l.includes('"unhandled error"'));
      expect(line).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({
        level: 50,
        reqId: expect.any(String),
        err: { type: expect.any(String) },
      });
      expect(line).not.toMatch(/SELECT|FROM|users`|no such table|doesn't exist|at .*\.js:\d+/i);
    });
  });

  describe('secrets', () => {
    it('no response ever carried a hash or a password', () => {
      expect(svc.responses.length).toBeGreaterThan(100);
      for (const text of svc.responses) {
        expect(text).not.toMatch(HASH_LIKE);
        for (const p of PASSWORDS) expect(text).not.toContain(p);
      }
    });

    it('no log line ever carried a hash or a password', async () => {
      await new Promise((r) => setTimeout(r, 50));
      const logs = svc.logs();
      expect(logs.split('\n').filter(Boolean).length).toBeGreaterThan(100);
      expect(logs).not.toMatch(HASH_LIKE);
      for (const p of [...PASSWORDS, 'abcdefgh1', 'leak-me', 'notes-test-key-0123456789'])
        expect(logs).not.toContain(p);
      expect(logs).toMatch(/"reqId":"[0-9a-f-]{36}"/);
    });
  });
});
