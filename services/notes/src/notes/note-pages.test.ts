import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotesOnMariadb, type TestNotes, withoutTagCloud } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, csrfFrom, fieldValue, h1, h2, listedKeys, textOf, WebClient } from '../testing/web-client.js';

let userauth: RunningUserauth;
let notes: TestNotes;
const alice = { username: 'alice', password: 'alice-password-1' };
const bob = { username: 'bob', password: 'bob-password-1' };
/** Saves 20 notes at once: a user of its own, whose write bucket (burst 20) nothing else drains. */
const erin = { username: 'erin', password: 'erin-password-1' };

beforeAll(async () => {
  userauth = await startUserauth([alice, bob, erin]);
  // Notes anyone may read, as before visibility existed: these tests are about the pages; who may
  // read what is the sharing matrix's business (notes/sharing-matrix.test.ts).
  notes = await startTestNotesOnMariadb('notes_pages', userauth, {
    NOTES_PAGE_SIZE: '5',
    NOTES_DEFAULT_VISIBILITY: 'public',
  });
});

afterAll(async () => {
  await notes?.close();
  await userauth?.stop();
});

async function loggedIn(user: { username: string; password: string }): Promise<WebClient> {
  const client = new WebClient(notes.url);
  await client.login(user.username, user.password);
  return client;
}

describe('pages for an anonymous visitor', () => {
  it('home shows the header with a login link, the list hook, and sets no cookie', async () => {
    const client = new WebClient(notes.url);
    const { res, text } = await client.get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(text).toMatch(/<header class="page-header[^"]*"/);
    expect(text).toContain('<a class="nav-item nav-link" href="/users/login">');
    expect(text).not.toContain('href="/users/logout"');
    expect(text).toContain('id="notetitles"');
    expect(text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('serves Bootstrap and the page scripts itself', async () => {
    const client = new WebClient(notes.url);
    const css = await client.get('/assets/bootstrap/css/bootstrap.min.css');
    expect(css.res.status).toBe(200);
    expect(css.text).toContain('Bootstrap');
    for (const path of ['/static/js/home.js', '/static/js/note.js', '/socket.io/socket.io.min.js']) {
      expect((await client.get(path)).res.status, path).toBe(200);
    }
  });

  it('sends a CSP that allows no inline script', async () => {
    const { res } = await new WebClient(notes.url).get('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('an unknown URL is a 404 page with the message in h1 and the status in h2', async () => {
    const { res, text } = await new WebClient(notes.url).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(h1(text)).toBe('Not Found');
    expect(h2(text)).toBe('404');
    expect(text).toContain('page-header');
  });

  it('an unknown note key is a 404 page; a malformed key a 400 naming the field', async () => {
    const client = new WebClient(notes.url);
    const missing = await client.get('/notes/view?key=nothing-here');
    expect(missing.res.status).toBe(404);
    expect(h1(missing.text)).toBe('Not Found');
    expect(h2(missing.text)).toBe('404');
    const bad = await client.get('/notes/view?key=%3Cscript%3E');
    expect(bad.res.status).toBe(400);
    expect(h2(bad.text)).toBe('400');
    expect(textOf(byId(bad.text, 'errormessage'))).toMatch(/^key: /);
    const none = await client.get('/notes/view');
    expect(none.res.status).toBe(400);
    expect(textOf(byId(none.text, 'errormessage'))).toBe('key: is required');
    const page = await client.get('/?page=abc');
    expect(page.res.status).toBe(400);
    expect(textOf(byId(page.text, 'errormessage'))).toMatch(/^page: /);
  });

  it('answers JSON errors to clients that ask for JSON', async () => {
    const { res, text } = await new WebClient(notes.url).get('/notes/view?key=nothing', {
      accept: 'application/json',
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(text)).toEqual({ code: 'not_found', message: expect.stringContaining('nothing') });
  });

  it('pages for logged-in users send anonymous visitors to the login form', async () => {
    const client = new WebClient(notes.url);
    for (const path of ['/notes/add', '/notes/edit?key=x', '/notes/destroy?key=x']) {
      const { res } = await client.get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toBe(`/users/login?next=${encodeURIComponent(path)}`);
    }
  });
});

describe('notes', () => {
  it('adds a note with a given key, shows it rendered and sanitised, lists it', async () => {
    const client = await loggedIn(alice);
    const add = await client.get('/notes/add');
    expect(add.text).toContain('action="/notes/save"');
    for (const name of ['notekey', 'title', 'body', '_csrf']) expect(add.text).toContain(`name="${name}"`);
    expect(add.text).toContain('<button type="submit"');

    const body =
      '## Shopping\n\n- **milk**\n\n<script>alert(1)</script><img src=x onerror=alert(2)>\n\n[x](javascript:alert(3)) [ok](https://example.com)';
    const saved = await client.addNote({ notekey: 'shopping-list', title: 'Shopping <b>list</b>', body });
    expect(saved.res.status).toBe(302);
    expect(saved.res.headers.get('location')).toBe('/notes/view?key=shopping-list');

    const view = await client.get('/notes/view?key=shopping-list');
    expect(view.res.status).toBe(200);
    expect(textOf(byId(view.text, 'notetitle'))).toBe('Shopping <b>list</b>');
    expect(view.text).toContain('Shopping &lt;b&gt;list&lt;/b&gt;');
    const rendered = byId(view.text, 'notebody') ?? '';
    // The body's headings sit below the page's h1 (the title): `##` is an h3.
    expect(rendered).toContain('<h3>Shopping</h3>');
    expect(rendered).toContain('<strong>milk</strong>');
    expect(rendered).not.toMatch(/<script|onerror|href="javascript:/i);
    expect(rendered).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>');
    expect(view.text).toContain('id="notedestroy"');
    expect(view.text).toContain('id="noteMessages"');

    const home = await new WebClient(notes.url).get('/');
    expect(listedKeys(home.text)).toContain('shopping-list');
  });

  it('generates a URL-safe key when none is given', async () => {
    const client = await loggedIn(alice);
    const saved = await client.addNote({ title: 'No key given', body: 'text' });
    expect(saved.res.status).toBe(302);
    const key = new URL(saved.res.headers.get('location')!, notes.url).searchParams.get('key')!;
    expect(key).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('refuses bad input with a 400 naming the field and keeps the typed text in the form', async () => {
    const client = await loggedIn(alice);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ title: '', body: 'x' }, /^title: is required$/],
      [{ title: 'x'.repeat(201), body: 'x' }, /^title: must be at most 200/],
      [{ title: 'ok', body: 'x'.repeat(1_000_001) }, /^body: must be at most 1,000,000 characters$/],
      [{ title: 'ok', body: '😀'.repeat(1_000_001) }, /^body: must be at most 1,000,000 characters$/],
      [{ notekey: 'has space', title: 'ok', body: 'x' }, /^notekey: must be/],
      [{ notekey: 'k'.repeat(65), title: 'ok', body: 'x' }, /^notekey: must be/],
      [{ title: 'ok', body: 'bad \u0001 char' }, /^body: must not contain control characters$/],
      [{ docreate: 'sideways', title: 'ok', body: 'x' }, /^docreate: /],
    ];
    for (const [fields, message] of cases) {
      const { res, text } = await client.addNote({ title: '', body: '', ...fields });
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(textOf(byId(text, 'formmessage'))).toMatch(message);
      // All of the text, however long: nothing typed is cut off.
      expect(fieldValue(text, 'body') === (fields.body ?? ''), 'the typed body is in the form').toBe(true);
    }
  });

  it('refuses a duplicate key with a clear message', async () => {
    const client = await loggedIn(alice);
    await client.addNote({ notekey: 'dup-key', title: 'first', body: 'one' });
    const again = await client.addNote({ notekey: 'dup-key', title: 'second', body: 'two' });
    expect(again.res.status).toBe(409);
    expect(textOf(byId(again.text, 'formmessage'))).toMatch(/notekey: a note with this key already exists/);
    expect(fieldValue(again.text, 'title')).toBe('second');
  });

  it('takes 1,000,000 characters of CJK or emoji and gives them back intact (MariaDB MEDIUMTEXT)', async () => {
    const client = await loggedIn(alice);
    // Each is the limit exactly; percent-encoded they are 9 and 12 MB, over the old 256 kB parser limit.
    for (const [key, unit] of [
      ['cjk-million', '漢字かな한글'],
      ['emoji-million', '😀🎉👩‍💻'],
    ] as const) {
      const units = [...unit];
      const body = Array.from({ length: 1_000_000 }, (_, i) => units[i % units.length]).join('');
      const saved = await client.addNote({ notekey: key, title: key, body });
      expect(saved.res.status, textOf(byId(saved.text, 'formmessage'))).toBe(302);
      const form = await client.get(`/notes/edit?key=${key}`);
      expect(fieldValue(form.text, 'body') === body, `${key} comes back as typed`).toBe(true);
    }
  });

  it('refuses a body too large to read with the form again and a message naming the limit', async () => {
    const client = await loggedIn(alice);
    const { text } = await client.get('/notes/add');
    const { res, text: page } = await client.saveNote(text, {
      title: 'huge',
      body: 'x'.repeat(12_100_000),
    });
    expect(res.status).toBe(413);
    expect(textOf(byId(page, 'formmessage'))).toMatch(/^body: must be at most 1,000,000 characters; /);
    expect(page).toContain('action="/notes/save"');
  });

  it('refuses a POST without a valid CSRF token, showing the form again with the text kept', async () => {
    const client = await loggedIn(alice);
    const none = await client.post('/notes/save', { docreate: 'create', title: 'no token', body: 'x' });
    expect(none.res.status).toBe(403);
    const wrong = await client.post('/notes/save', {
      _csrf: 'forged',
      docreate: 'create',
      title: 'typed title',
      body: 'typed text',
    });
    expect(wrong.res.status).toBe(403);
    expect(textOf(byId(wrong.text, 'formmessage'))).toMatch(/form token/);
    expect(fieldValue(wrong.text, 'title')).toBe('typed title');
    expect(fieldValue(wrong.text, 'body')).toBe('typed text');
    // The form it shows carries a good token: saving again works.
    const again = await client.post('/notes/save', {
      _csrf: csrfFrom(wrong.text, '/notes/save'),
      docreate: 'create',
      title: 'typed title',
      body: 'typed text',
    });
    expect(again.res.status).toBe(302);
    // Other forms answer a refused token with the 403 page.
    const destroy = await client.post('/notes/destroy/confirm', { _csrf: 'forged', notekey: 'x' });
    expect(destroy.res.status).toBe(403);
    expect(h2(destroy.text)).toBe('403');
  });

  it('20 concurrent saves from a new session, each with its own freshly loaded form, all succeed', async () => {
    // A fresh session (login regenerates it) with no form token yet: 20 tabs load the form at once,
    // then all save at once. Tokens kept in the session raced here (last session save won: 403s).
    const client = await loggedIn(erin);
    const forms = await Promise.all(Array.from({ length: 20 }, () => client.get('/notes/add')));
    const saves = await Promise.all(
      forms.map((form, i) =>
        client.post('/notes/save', {
          _csrf: csrfFrom(form.text, '/notes/save'),
          docreate: 'create',
          notekey: `concurrent-${i}`,
          title: `concurrent ${i}`,
          body: `typed in tab ${i}`,
        }),
      ),
    );
    expect(saves.map((s) => s.res.status)).toEqual(Array(20).fill(302));
  });

  it('edits with the version: a stale save is refused and the text stays in the form', async () => {
    const client = await loggedIn(alice);
    await client.addNote({ notekey: 'versioned', title: 'v1', body: 'first' });
    const formA = await client.get('/notes/edit?key=versioned');
    const formB = await client.get('/notes/edit?key=versioned');
    expect(fieldValue(formA.text, 'title')).toBe('v1');
    expect(fieldValue(formA.text, 'body')).toBe('first');
    expect(fieldValue(formA.text, 'version')).toBe('1');
    expect(formA.text).toContain('action="/notes/save"');

    const first = await client.saveNote(formA.text, {
      docreate: 'update',
      notekey: 'versioned',
      version: '1',
      title: 'v2',
      body: 'second',
    });
    expect(first.res.status).toBe(302);

    const stale = await client.saveNote(formB.text, {
      docreate: 'update',
      notekey: 'versioned',
      version: '1',
      title: 'my title',
      body: 'my precious text',
    });
    expect(stale.res.status).toBe(409);
    expect(textOf(byId(stale.text, 'formmessage'))).toMatch(/changed by someone else/);
    expect(fieldValue(stale.text, 'body')).toBe('my precious text');
    expect(fieldValue(stale.text, 'title')).toBe('my title');

    const view = await client.get('/notes/view?key=versioned');
    expect(textOf(byId(view.text, 'notetitle'))).toBe('v2');
    expect(textOf(byId(view.text, 'notebody'))).toBe('second');
  });

  it('only the owner edits or deletes; others read without the delete link', async () => {
    const owner = await loggedIn(alice);
    await owner.addNote({ notekey: 'alices', title: 'Alice only', body: 'mine' });
    const other = await loggedIn(bob);
    const view = await other.get('/notes/view?key=alices');
    expect(view.res.status).toBe(200);
    expect(view.text).not.toContain('id="notedestroy"');
    expect((await other.get('/notes/edit?key=alices')).res.status).toBe(403);
    expect((await other.get('/notes/destroy?key=alices')).res.status).toBe(403);

    const ownerForm = await owner.get('/notes/edit?key=alices');
    const { text: bobPage } = await other.get('/notes/add');
    const save = await other.saveNote(bobPage, {
      docreate: 'update',
      notekey: 'alices',
      version: fieldValue(ownerForm.text, 'version')!,
      title: 'taken over',
      body: 'x',
    });
    expect(save.res.status).toBe(403);
    const destroy = await other.post('/notes/destroy/confirm', {
      _csrf: csrfFrom(bobPage, '/notes/save'),
      notekey: 'alices',
    });
    expect(destroy.res.status).toBe(403);
    const anonymous = await new WebClient(notes.url).get('/notes/view?key=alices');
    expect(anonymous.res.status).toBe(200);
    expect(textOf(byId(anonymous.text, 'notetitle'))).toBe('Alice only');
  });

  it('deletes after confirmation, then the key is a 404', async () => {
    const client = await loggedIn(alice);
    await client.addNote({ notekey: 'doomed', title: 'Doomed', body: 'bye' });
    const confirm = await client.get('/notes/destroy?key=doomed');
    expect(confirm.text).toContain('action="/notes/destroy/confirm"');
    const done = await client.post('/notes/destroy/confirm', {
      _csrf: csrfFrom(confirm.text, '/notes/destroy/confirm'),
      notekey: 'doomed',
    });
    expect(done.res.status).toBe(302);
    expect(done.res.headers.get('location')).toBe('/');
    expect((await client.get('/notes/view?key=doomed')).res.status).toBe(404);
    const bad = await client.post('/notes/destroy/confirm', {
      _csrf: csrfFrom(confirm.text, '/notes/destroy/confirm'),
    });
    expect(bad.res.status).toBe(400);
    expect(textOf(byId(bad.text, 'errormessage'))).toBe('notekey: is required');
  });
});

describe('the note list', () => {
  it('is paginated newest first and costs one query per page whatever the number of notes', async () => {
    const client = await loggedIn(bob);
    const made: string[] = [];
    for (let i = 0; i < 12; i++) {
      const key = `page-note-${i}`;
      await client.addNote({ notekey: key, title: `Page note ${i}`, body: `number ${i}` });
      made.push(key);
    }
    const anonymous = new WebClient(notes.url);
    const counts: number[] = [];
    const pages: string[][] = [];
    for (const page of [1, 2, 3]) {
      notes.queries.length = 0;
      const { res, text } = await anonymous.get(`/?page=${page}`);
      expect(res.status).toBe(200);
      counts.push(withoutTagCloud(notes.queries).length);
      pages.push(listedKeys(text));
    }
    expect(counts).toEqual([1, 1, 1]);
    expect(pages[0]).toEqual(made.slice(-5).reverse());
    expect(pages[1]).toEqual(made.slice(-10, -5).reverse());
    expect(pages[0]!.length + pages[1]!.length).toBe(10);
    const first = await anonymous.get('/');
    expect(first.text).toContain('href="/?page=2"');
  });
});
