import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestNotesOn } from '../testing/dialects.js';
import type { TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, csrfFrom, fieldValue, h1, sliceFrom, textOf, WebClient } from '../testing/web-client.js';

/**
 * The history pages and restore (DESIGN 4.8) through HTTP like a browser: the list (newest first,
 * paged, author, time, size change), a revision with its diff (escaped), comparing any two, restore
 * as a new revision, and who may see and do what on each (the sharing matrix measures the same
 * doors for every role and visibility). On both dialects.
 */

let userauth: RunningUserauth;
const alice = { username: 'alice', password: 'alice-password-1' };
const bob = { username: 'bob', password: 'bob-password-1' };
const carol = { username: 'carol', password: 'carol-password-1' };

beforeAll(async () => {
  userauth = await startUserauth([alice, bob, carol]);
});

afterAll(async () => {
  await userauth?.stop();
});

/** The revision numbers listed in `#revisions [data-rev]`, in page order. */
const listedRevisions = (html: string) =>
  [...sliceFrom(html, 'revisions', '</table>').matchAll(/data-rev="(\d+)"/g)].map((m) => Number(m[1]));

describe.each(DIALECTS)('history pages (%s)', (dialect) => {
  let notes: TestNotes;
  let aliceWeb: WebClient;
  let bobWeb: WebClient;
  let carolWeb: WebClient;

  beforeAll(async () => {
    notes = await startTestNotesOn(dialect, 'notes_history', userauth, {
      NOTES_REVISION_MERGE_SECONDS: '0',
      NOTES_PAGE_SIZE: '3',
      NOTES_WRITE_LIMIT_BURST: '1000',
      NOTES_DEFAULT_VISIBILITY: 'private',
    });
    aliceWeb = new WebClient(notes.url);
    await aliceWeb.login(alice.username, alice.password);
    bobWeb = new WebClient(notes.url);
    await bobWeb.login(bob.username, bob.password);
    carolWeb = new WebClient(notes.url);
    await carolWeb.login(carol.username, carol.password);
  });

  afterAll(async () => {
    await notes?.close();
  });

  async function add(key: string, title: string, body: string): Promise<void> {
    const { res } = await aliceWeb.addNote({ notekey: key, title, body });
    expect(res.status).toBe(302);
  }

  async function edit(client: WebClient, key: string, title: string, body: string): Promise<void> {
    const form = await client.get(`/notes/edit?key=${key}`);
    const { res } = await client.saveNote(form.text, {
      docreate: 'update',
      notekey: key,
      version: fieldValue(form.text, 'version')!,
      title,
      body,
    });
    expect(res.status).toBe(302);
  }

  async function share(key: string, username: string, role: 'viewer' | 'editor'): Promise<void> {
    const { res } = await aliceWeb.submit(`/notes/share?key=${key}`, '/notes/share', { key, username, role });
    expect(res.status).toBe(302);
  }

  const restore = (client: WebClient, page: string, key: string, rev: string) =>
    client.submit(page, '/notes/restore', { key, rev });

  it('lists revisions newest first with author, time and size change, paged', async () => {
    await add('h-list', 'List', 'abc');
    await share('h-list', 'bob', 'editor');
    await edit(bobWeb, 'h-list', 'List', 'abcdef');
    await edit(aliceWeb, 'h-list', 'List', 'ab');
    await edit(bobWeb, 'h-list', 'List', 'ab');
    await edit(bobWeb, 'h-list', 'List', 'ab and more');

    const first = await aliceWeb.get('/notes/history?key=h-list');
    expect(first.res.status).toBe(200);
    expect(h1(first.text)).toBe('History of List');
    expect(listedRevisions(first.text)).toEqual([4, 3, 2]);
    const row = (html: string, n: number) =>
      textOf(sliceFrom(html, 'revisions', '</table>').split(`data-rev="${n}"`)[1]?.split('</tr>')[0]);
    expect(row(first.text, 4)).toMatch(
      /Revision 4\s+current\s+bob\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+\+9\s*9 characters added/,
    );
    expect(row(first.text, 3)).toContain('−4');
    expect(row(first.text, 3)).toContain('4 characters removed');
    expect(row(first.text, 2)).toContain('+3');
    expect(first.text).toContain('href="/notes/history?key=h-list&amp;page=2"');

    const second = await aliceWeb.get('/notes/history?key=h-list&page=2');
    expect(listedRevisions(second.text)).toEqual([1]);
    expect(row(second.text, 1)).toContain('alice');
    expect(row(second.text, 1)).toContain('3 characters');
    expect(row(second.text, 1)).not.toContain('current');
  });

  it('a revision shows its text and a line and word diff to the one before, escaped', async () => {
    await add('h-diff', 'Diff', 'keep this\nold words here\nand this');
    await edit(
      aliceWeb,
      'h-diff',
      'Diff <i>2</i>',
      'keep this\nnew words here <script>alert(1)</script>\nand this',
    );

    const { res, text } = await aliceWeb.get('/notes/revision?key=h-diff&rev=2');
    expect(res.status).toBe(200);
    const diff = sliceFrom(text, 'diff', '</section>');
    expect(diff).toContain('<del>old</del> words here');
    expect(diff).toContain('<ins>new</ins> words here<ins> &lt;script&gt;alert(1)&lt;/script&gt;</ins>');
    expect(diff).toContain('<span class="visually-hidden">Removed: </span>');
    expect(diff).toContain('<span class="visually-hidden">Added: </span>');
    expect(diff).toMatch(/Diff<ins> &lt;i&gt;2&lt;\/i&gt;<\/ins>/);
    expect(text).not.toContain('<script>alert(1)');
    expect(text).not.toContain('<i>2</i>');
    expect(textOf(byId(text, 'revision-body'))).toBe(
      'keep this\nnew words here <script>alert(1)</script>\nand this',
    );
    expect(text).toContain('Changes from revision 1 to revision 2');

    const firstRev = await aliceWeb.get('/notes/revision?key=h-diff&rev=1');
    expect(firstRev.text).toContain('the first kept revision');
    expect(sliceFrom(firstRev.text, 'diff', '</section>')).toContain('<ins>old words here</ins>');
  });

  it('compares any two revisions', async () => {
    await add('h-compare', 'Compare', 'one');
    await edit(aliceWeb, 'h-compare', 'Compare', 'two');
    await edit(aliceWeb, 'h-compare', 'Compare', 'three');
    const { res, text } = await aliceWeb.get('/notes/revision?key=h-compare&rev=3&compare=1');
    expect(res.status).toBe(200);
    expect(text).toContain('Changes from revision 1 (picked) to revision 3');
    const diff = sliceFrom(text, 'diff', '</section>');
    expect(diff).toContain('<del>one</del>');
    expect(diff).toContain('<ins>three</ins>');
    expect(diff).not.toContain('two');
    const same = await aliceWeb.get('/notes/revision?key=h-compare&rev=2&compare=2');
    expect(same.text).toContain('Changes from revision 1 to revision 2');
  });

  it('bad and unknown revision numbers: 400 naming the field, 404 for one that is not kept', async () => {
    await add('h-bad', 'Bad', 'x');
    for (const [path, field] of [
      ['/notes/revision?key=h-bad', 'rev'],
      ['/notes/revision?key=h-bad&rev=abc', 'rev'],
      ['/notes/revision?key=h-bad&rev=0', 'rev'],
      ['/notes/revision?key=h-bad&rev=1&compare=x', 'compare'],
      ['/notes/history?key=h-bad&page=0', 'page'],
      ['/notes/history?key=%3C', 'key'],
    ] as const) {
      const { res, text } = await aliceWeb.get(path);
      expect(res.status, path).toBe(400);
      expect(textOf(byId(text, 'errormessage')), path).toMatch(new RegExp(`^${field}: `));
    }
    expect((await aliceWeb.get('/notes/revision?key=h-bad&rev=9')).res.status).toBe(404);
    expect((await aliceWeb.get('/notes/revision?key=h-bad&rev=1&compare=9')).res.status).toBe(404);
    expect((await aliceWeb.get('/notes/history?key=no-such-note')).res.status).toBe(404);
  });

  it('restore makes the old text the newest revision; history is never rewritten', async () => {
    await add('h-restore', 'Original', 'first text');
    await edit(aliceWeb, 'h-restore', 'Changed', 'second text');
    const page = '/notes/revision?key=h-restore&rev=1';
    expect(csrfFrom((await aliceWeb.get(page)).text, '/notes/restore')).toBeTruthy();
    const { res } = await restore(aliceWeb, page, 'h-restore', '1');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/notes/view?key=h-restore');
    const view = await aliceWeb.get('/notes/view?key=h-restore');
    expect(h1(view.text)).toBe('Original');
    expect(textOf(byId(view.text, 'notebody'))).toBe('first text');

    const rows = await notes.db.query<{
      number: number;
      author: string;
      body: string;
      restoredFrom: number | null;
    }>('SELECT number, author, body, restoredFrom FROM note_revisions WHERE noteKey = ? ORDER BY number', {
      replacements: ['h-restore'],
      type: QueryTypes.SELECT,
    });
    expect(rows).toEqual([
      { number: 1, author: 'alice', body: 'first text', restoredFrom: null },
      { number: 2, author: 'alice', body: 'second text', restoredFrom: null },
      { number: 3, author: 'alice', body: 'first text', restoredFrom: 1 },
    ]);
    const history = await aliceWeb.get('/notes/history?key=h-restore');
    expect(history.text).toContain('restored from 1');
    // Its own text is the note's: no restore button on it, and the current one has none either.
    expect((await aliceWeb.get(page)).text).not.toContain('action="/notes/restore"');
    // Restoring what the note already says changes nothing.
    const again = await aliceWeb.post('/notes/restore', {
      _csrf: csrfFrom((await aliceWeb.get('/notes/revision?key=h-restore&rev=2')).text, '/notes/restore'),
      key: 'h-restore',
      rev: '3',
    });
    expect(again.res.status).toBe(302);
    expect((await aliceWeb.get('/notes/history?key=h-restore')).text).not.toContain('data-rev="4"');
  });

  it('every history page asks the read policy: a note you may not read is a 404 everywhere', async () => {
    await add('h-private', 'Secret plans', 'top secret');
    await edit(aliceWeb, 'h-private', 'Secret plans', 'top secret, revised');
    await share('h-private', 'bob', 'viewer');
    const anonymous = new WebClient(notes.url);
    for (const path of [
      '/notes/history?key=h-private',
      '/notes/revision?key=h-private&rev=1',
      '/notes/revision?key=h-private&rev=2&compare=1',
    ]) {
      expect((await aliceWeb.get(path)).res.status, `owner ${path}`).toBe(200);
      expect((await bobWeb.get(path)).res.status, `viewer ${path}`).toBe(200);
      const outsider = await carolWeb.get(path);
      expect(outsider.res.status, `other ${path}`).toBe(404);
      expect(outsider.text).not.toContain('Secret plans');
      expect((await anonymous.get(path)).res.status, `anonymous ${path}`).toBe(404);
    }
    // An unknown revision of an unreadable note is the same 404 as a known one.
    expect((await carolWeb.get('/notes/revision?key=h-private&rev=99')).res.status).toBe(404);

    // A viewer sees no restore button, and a restore posted anyway is refused; others get 404.
    const asViewer = await bobWeb.get('/notes/revision?key=h-private&rev=1');
    expect(asViewer.text).not.toContain('action="/notes/restore"');
    const token = csrfFrom((await bobWeb.get('/notes/add')).text, '/notes/save');
    expect(
      (await bobWeb.post('/notes/restore', { _csrf: token, key: 'h-private', rev: '1' })).res.status,
    ).toBe(403);
    const carolToken = csrfFrom((await carolWeb.get('/notes/add')).text, '/notes/save');
    expect(
      (await carolWeb.post('/notes/restore', { _csrf: carolToken, key: 'h-private', rev: '1' })).res.status,
    ).toBe(404);
    expect((await anonymous.post('/notes/restore', { key: 'h-private', rev: '1' })).res.status).toBe(403);
    // Without the form token nothing happens, even for the owner.
    expect((await aliceWeb.post('/notes/restore', { key: 'h-private', rev: '1' })).res.status).toBe(403);
    const view = await aliceWeb.get('/notes/view?key=h-private');
    expect(textOf(byId(view.text, 'notebody'))).toBe('top secret, revised');
  });

  it('the note page links to its history for every reader', async () => {
    await add('h-link', 'Linked', 'x');
    await share('h-link', 'bob', 'viewer');
    const view = await bobWeb.get('/notes/view?key=h-link');
    expect(view.text).toContain(
      '<a id="notehistory" class="btn btn-outline-secondary btn-sm" href="/notes/history?key=h-link">',
    );
  });
});
