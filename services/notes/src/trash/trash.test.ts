import { QueryTypes } from 'sequelize';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestNotesOn } from '../testing/dialects.js';
import type { TestNotes } from '../testing/notes-in-process.js';
import { connectSocket, emitAck, nextEvent } from '../testing/sockets.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import {
  byId,
  csrfFrom,
  fieldValue,
  h1,
  listedKeys,
  sliceFrom,
  textOf,
  WebClient,
} from '../testing/web-client.js';

/**
 * The trash (DESIGN 4.8) through HTTP and sockets like a browser, on both dialects: deleting moves a
 * note there with its comments and history, gone at once from every door; its owner alone sees it,
 * restores it (under a new key when its own was taken) or deletes it for good; the purge job
 * removes it after NOTES_TRASH_DAYS.
 */

let userauth: RunningUserauth;
const alice = { username: 'alice', password: 'alice-password-1' };
const bob = { username: 'bob', password: 'bob-password-1' };

beforeAll(async () => {
  userauth = await startUserauth([alice, bob]);
});

afterAll(async () => {
  await userauth?.stop();
});

/** The ids and keys of `#trash-items [data-id]`, in page order. */
const trashed = (html: string) =>
  [...sliceFrom(html, 'trash-items', '</ul>').matchAll(/data-id="(\d+)" data-key="([^"]*)"/g)].map((m) => ({
    id: m[1]!,
    key: m[2]!,
  }));

const searchKeys = (html: string) =>
  [...(byId(html, 'search-results') ?? '').matchAll(/data-key="([^"]+)"/g)].map((m) => m[1]);

describe.each(DIALECTS)('trash (%s)', (dialect) => {
  let notes: TestNotes;
  let aliceWeb: WebClient;
  let bobWeb: WebClient;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    notes = await startTestNotesOn(dialect, 'notes_trash', userauth, {
      NOTES_WRITE_LIMIT_BURST: '1000',
      NOTES_DEFAULT_VISIBILITY: 'team',
      NOTES_TRASH_DAYS: '30',
      NOTES_TRASH_PURGE_SECONDS: '1',
    });
    aliceWeb = new WebClient(notes.url);
    await aliceWeb.login(alice.username, alice.password);
    bobWeb = new WebClient(notes.url);
    await bobWeb.login(bob.username, bob.password);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await notes?.close();
  });

  async function add(key: string, title: string, body: string): Promise<void> {
    const { res } = await aliceWeb.addNote({ notekey: key, title, body });
    expect(res.status).toBe(302);
  }

  async function edit(key: string, body: string): Promise<void> {
    const form = await aliceWeb.get(`/notes/edit?key=${key}`);
    const { res } = await aliceWeb.saveNote(form.text, {
      docreate: 'update',
      notekey: key,
      version: fieldValue(form.text, 'version')!,
      title: fieldValue(form.text, 'title')!,
      body,
    });
    expect(res.status).toBe(302);
  }

  async function destroy(key: string): Promise<void> {
    const { res } = await aliceWeb.submit(`/notes/destroy?key=${key}`, '/notes/destroy/confirm', {
      notekey: key,
    });
    expect(res.status).toBe(302);
  }

  async function comment(key: string, message: string): Promise<void> {
    const s = await connectSocket(notes.url, '/notes', { cookie: aliceWeb.cookieHeader() });
    sockets.push(s);
    expect(await emitAck(s, 'join', { key })).toEqual({ ok: true, key });
    expect((await emitAck(s, 'create-message', { key, message })).ok).toBe(true);
  }

  const count = async (sql: string, ...replacements: unknown[]) =>
    Number((await notes.db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT }))[0]!.n);

  async function idOf(key: string): Promise<number> {
    const [row] = await notes.db.query<{ id: number }>('SELECT id FROM notes WHERE `key` = ?', {
      replacements: [key],
      type: QueryTypes.SELECT,
    });
    return row!.id;
  }

  it('deleting moves the note to the trash: gone at once from every door, comments and history kept', async () => {
    await add('t-move', 'Moving day', 'pack the zebra boxes');
    await edit('t-move', 'pack the zebra boxes and the lamp');
    await comment('t-move', 'do not forget the plants');
    const id = await idOf('t-move');
    expect(searchKeys((await bobWeb.get('/search?q=zebra')).text)).toContain('t-move');

    const home = await connectSocket(notes.url, '/home', { cookie: bobWeb.cookieHeader() });
    const room = await connectSocket(notes.url, '/notes', { cookie: bobWeb.cookieHeader() });
    sockets.push(home, room);
    expect(await emitAck(room, 'join', { key: 't-move' })).toEqual({ ok: true, key: 't-move' });
    const homeGone = nextEvent<string>(home, 'notedestroyed', (k) => k === 't-move');
    const roomGone = nextEvent<string>(room, 'notedestroyed', (k) => k === 't-move');
    await destroy('t-move');
    expect(await homeGone).toBe('t-move');
    expect(await roomGone).toBe('t-move');

    for (const client of [aliceWeb, bobWeb]) {
      for (const path of ['/notes/view', '/notes/body', '/notes/history', '/notes/edit'])
        expect((await client.get(`${path}?key=t-move`)).res.status, path).toBe(404);
      expect((await client.get('/notes/revision?key=t-move&rev=1')).res.status).toBe(404);
      expect(listedKeys((await client.get('/')).text)).not.toContain('t-move');
      expect(searchKeys((await client.get('/search?q=zebra')).text)).not.toContain('t-move');
    }
    expect(listedKeys((await aliceWeb.get('/?filter=mine')).text)).not.toContain('t-move');
    const again = await connectSocket(notes.url, '/notes', { cookie: aliceWeb.cookieHeader() });
    sockets.push(again);
    expect(await emitAck(again, 'join', { key: 't-move' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    // Its owner sees it in the trash; nobody else does. Comments and revisions wait with it.
    const aliceTrash = await aliceWeb.get('/trash');
    expect(aliceTrash.res.status).toBe(200);
    expect(trashed(aliceTrash.text)).toContainEqual({ id: String(id), key: 't-move' });
    expect(aliceTrash.text).toContain('Moving day');
    expect(trashed((await bobWeb.get('/trash')).text)).toEqual([]);
    expect((await new WebClient(notes.url).get('/trash')).res.status).toBe(302);
    expect(await count('SELECT COUNT(*) AS n FROM comments WHERE noteKey = ?', `~t${id}`)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM note_revisions WHERE noteKey = ?', `~t${id}`)).toBe(1);
  });

  it('restore brings it back under its key with comments, history and search; only its owner may', async () => {
    await add('t-back', 'Come back', 'a quokka smiles');
    await comment('t-back', 'cute');
    const id = String(await idOf('t-back'));
    await destroy('t-back');

    const bobTry = await bobWeb.post('/trash/restore', {
      _csrf: csrfFrom((await bobWeb.get('/notes/add')).text, '/notes/save'),
      id,
    });
    expect(bobTry.res.status).toBe(404);
    expect((await aliceWeb.post('/trash/restore', { id })).res.status).toBe(403);

    const { res } = await aliceWeb.submit('/trash', '/trash/restore', { id });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/notes/view?key=t-back');
    const view = await bobWeb.get('/notes/view?key=t-back');
    expect(view.res.status).toBe(200);
    expect(h1(view.text)).toBe('Come back');
    expect(textOf(byId(view.text, 'noteMessages'))).toContain('cute');
    expect((await bobWeb.get('/notes/history?key=t-back')).res.status).toBe(200);
    expect(listedKeys((await bobWeb.get('/')).text)).toContain('t-back');
    expect(searchKeys((await bobWeb.get('/search?q=quokka')).text)).toContain('t-back');
    expect(trashed((await aliceWeb.get('/trash')).text).map((t) => t.id)).not.toContain(id);
    // Restoring it again: it is no longer in the trash.
    expect((await aliceWeb.submit('/trash', '/trash/restore', { id })).res.status).toBe(404);
  });

  it('a note whose key was taken meanwhile comes back under a new key', async () => {
    await add('t-taken', 'The first', 'first of its name');
    const id = String(await idOf('t-taken'));
    await destroy('t-taken');
    await add('t-taken', 'The second', 'took the key');
    const { res } = await aliceWeb.submit('/trash', '/trash/restore', { id });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    const key = new URL(location, notes.url).searchParams.get('key')!;
    expect(key).not.toBe('t-taken');
    expect(location).toContain('restored=newkey');
    const view = await aliceWeb.get(location);
    expect(h1(view.text)).toBe('The first');
    expect(view.text).toContain('under a new key');
    expect(h1((await aliceWeb.get('/notes/view?key=t-taken')).text)).toBe('The second');
    expect((await aliceWeb.get(`/notes/history?key=${key}`)).res.status).toBe(200);
  });

  it('empty trash asks first, then deletes every trashed note of the owner for good', async () => {
    await add('t-empty-1', 'Empty one', 'x');
    await add('t-empty-2', 'Empty two', 'y');
    await comment('t-empty-1', 'bye');
    const ids = [await idOf('t-empty-1'), await idOf('t-empty-2')];
    await destroy('t-empty-1');
    await destroy('t-empty-2');
    const confirm = await aliceWeb.get('/trash/empty');
    expect(confirm.res.status).toBe(200);
    expect(confirm.text).toContain('This cannot be undone');
    expect(confirm.text).toContain('action="/trash/empty"');
    // One note first, through its own confirmation.
    const one = await aliceWeb.get(`/trash/empty?id=${ids[1]}`);
    expect(one.text).toContain('Empty two');
    expect(
      (await aliceWeb.post('/trash/empty', { _csrf: csrfFrom(one.text, '/trash/empty'), id: String(ids[1]) }))
        .res.status,
    ).toBe(302);
    expect(await count('SELECT COUNT(*) AS n FROM notes WHERE id = ?', ids[1])).toBe(0);
    // bob's "empty trash" leaves alice's alone.
    const bobToken = csrfFrom((await bobWeb.get('/notes/add')).text, '/notes/save');
    expect((await bobWeb.post('/trash/empty', { _csrf: bobToken })).res.status).toBe(302);
    expect(await count('SELECT COUNT(*) AS n FROM notes WHERE id = ?', ids[0])).toBe(1);

    expect(
      (await aliceWeb.post('/trash/empty', { _csrf: csrfFrom(confirm.text, '/trash/empty') })).res.status,
    ).toBe(302);
    expect(trashed((await aliceWeb.get('/trash')).text)).toEqual([]);
    expect(
      await count('SELECT COUNT(*) AS n FROM notes WHERE deletedAt IS NOT NULL AND owner = ?', 'alice'),
    ).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM comments WHERE noteKey = ?', `~t${ids[0]}`)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM note_revisions WHERE noteKey = ?', `~t${ids[0]}`)).toBe(0);
    expect((await aliceWeb.get('/trash/empty?id=abc')).res.status).toBe(400);
    expect((await aliceWeb.get(`/trash/empty?id=${ids[0]}`)).res.status).toBe(404);
  });

  it('the purge job deletes notes trashed longer than NOTES_TRASH_DAYS, and only those', async () => {
    await add('t-old', 'Old', 'long gone');
    await add('t-recent', 'Recent', 'just deleted');
    await comment('t-old', 'old comment');
    const [old, recent] = [await idOf('t-old'), await idOf('t-recent')];
    await destroy('t-old');
    await destroy('t-recent');
    await notes.db.query('UPDATE notes SET deletedAt = ? WHERE id = ?', {
      replacements: [new Date(Date.now() - 31 * 24 * 3600 * 1000), old],
    });
    await expect
      .poll(() => count('SELECT COUNT(*) AS n FROM notes WHERE id = ?', old), {
        timeout: 10_000,
        interval: 200,
      })
      .toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM comments WHERE noteKey = ?', `~t${old}`)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM note_revisions WHERE noteKey = ?', `~t${old}`)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM notes WHERE id = ?', recent)).toBe(1);
    expect(notes.logs()).toContain('"msg":"trash purge ran"');
  });
});
