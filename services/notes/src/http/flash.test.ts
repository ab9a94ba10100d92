import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestNotesOn } from '../testing/dialects.js';
import type { TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { csrfFrom, textOf, WebClient } from '../testing/web-client.js';

const dora = { username: 'dora', password: 'dora-password-1' };

/** The flash messages a page shows, in its role="status" region. */
function flashes(html: string): string[] {
  expect(html).toMatch(/<div id="flash" class="flash-messages" role="status">/);
  return [...html.matchAll(/<div class="alert alert-(\w+) flash[^"]*"[^>]*>([^<]*)<\/div>/g)].map(
    (m) => `${m[1]}: ${textOf(m[2])}`,
  );
}

let userauth: RunningUserauth;
beforeAll(async () => {
  userauth = await startUserauth([dora]);
});
afterAll(async () => {
  await userauth?.stop();
});

describe.each(DIALECTS)('feedback after an action (%s sessions)', (dialect) => {
  let notes: TestNotes;
  beforeAll(async () => {
    notes = await startTestNotesOn(dialect, `notes_flash_${dialect}`, userauth, {
      NOTES_DEFAULT_VISIBILITY: 'public',
    });
  });
  afterAll(async () => {
    await notes?.close();
  });

  it('a page for signed-in users sends to the login form and back to that page afterwards', async () => {
    const client = new WebClient(notes.url);
    const asked = await client.get('/notes/add?from=test');
    expect(asked.res.status).toBe(302);
    const login = asked.res.headers.get('location')!;
    expect(login).toBe('/users/login?next=%2Fnotes%2Fadd%3Ffrom%3Dtest');
    const form = await client.get(login);
    const hidden = /<input type="hidden" name="next" value="([^"]*)">/.exec(form.text)?.[1];
    expect(textOf(hidden)).toBe('/notes/add?from=test');
    const done = await client.post('/users/login', {
      _csrf: csrfFrom(form.text, '/users/login'),
      username: dora.username,
      password: dora.password,
      next: '/notes/add?from=test',
    });
    expect(done.res.status).toBe(302);
    expect(done.res.headers.get('location')).toBe('/notes/add?from=test');
    const page = await client.get('/notes/add?from=test');
    expect(flashes(page.text)).toEqual(['success: Logged in as dora.']);
    // Shown once.
    expect(flashes((await client.get('/notes/add')).text)).toEqual([]);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '/users/logout',
    'javascript:alert(1)',
  ])('never sends a login elsewhere than this site: next=%s goes home', async (next) => {
    const client = new WebClient(notes.url);
    const form = await client.get(`/users/login?next=${encodeURIComponent(next)}`);
    expect(form.text).not.toContain('name="next"');
    const done = await client.post('/users/login', {
      _csrf: csrfFrom(form.text, '/users/login'),
      username: dora.username,
      password: dora.password,
      next,
    });
    expect(done.res.headers.get('location')).toBe('/');
  });

  it('says "Note added", "Note saved" and "Deleted" once each, on the page the action led to', async () => {
    const client = new WebClient(notes.url);
    await client.login(dora.username, dora.password);
    await client.get('/'); // the login message
    const added = await client.addNote({ title: 'Flash me', body: 'first' });
    const view = added.res.headers.get('location')!;
    expect(flashes((await client.get(view)).text)).toEqual(['success: Note added.']);
    expect(flashes((await client.get(view)).text)).toEqual([]);

    const key = new URL(view, notes.url).searchParams.get('key')!;
    const edit = await client.get(`/notes/edit?key=${key}`);
    const version = /name="version" value="(\d+)"/.exec(edit.text)![1]!;
    await client.saveNote(edit.text, {
      docreate: 'update',
      notekey: key,
      version,
      title: 'Flash me',
      body: 'second',
      visibility: 'public',
    });
    expect(flashes((await client.get(view)).text)).toEqual(['success: Note saved.']);

    const gone = await client.submit(`/notes/destroy?key=${key}`, '/notes/destroy/confirm', { notekey: key });
    expect(gone.res.headers.get('location')).toBe('/');
    expect(flashes((await client.get('/')).text)).toEqual(['success: Moved “Flash me” to the trash.']);
  });

  it('says "You are logged out" once, and keeps no session for it', async () => {
    const client = new WebClient(notes.url);
    await client.login(dora.username, dora.password);
    const out = await client.get('/users/logout', { 'sec-fetch-site': 'same-origin' });
    expect(out.res.headers.get('location')).toBe('/');
    expect(client.cookie('notes.sid')).toBeUndefined();
    const home = await client.get('/');
    expect(flashes(home.text)).toEqual(['success: You are logged out.']);
    expect(home.res.headers.get('set-cookie') ?? '').not.toContain('notes.sid');
    expect(flashes((await client.get('/')).text)).toEqual([]);
  });

  it('a refused save has no flash: the form says what is wrong', async () => {
    const client = new WebClient(notes.url);
    await client.login(dora.username, dora.password);
    await client.get('/');
    const refused = await client.addNote({ title: '', body: 'x' });
    expect(refused.res.status).toBe(400);
    expect(flashes(refused.text)).toEqual([]);
  });
});
