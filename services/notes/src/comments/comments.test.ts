import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestNotesOn } from '../testing/dialects.js';
import type { TestNotes } from '../testing/notes-in-process.js';
import { collect, connectSocket, emitAck, nextEvent } from '../testing/sockets.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { csrfFrom, fieldValue, WebClient } from '../testing/web-client.js';

const cora = { username: 'cora', password: 'cora-password-1' };
const finn = { username: 'finn', password: 'finn-password-1' };

interface Wire {
  id: number;
  key: string;
  from: string;
  message: string;
  html: string;
  edited?: string;
}

let userauth: RunningUserauth;
beforeAll(async () => {
  userauth = await startUserauth([cora, finn]);
});
afterAll(async () => {
  await userauth?.stop();
});

describe.each(DIALECTS)('comments: Markdown, edit own, delete with undo (%s)', (dialect) => {
  let notes: TestNotes;
  const sockets: Socket[] = [];
  let key: string;
  let asCora: WebClient;
  let asFinn: WebClient;

  beforeAll(async () => {
    notes = await startTestNotesOn(dialect, `notes_comments_${dialect}`, userauth, {
      NOTES_DEFAULT_VISIBILITY: 'public',
      NOTES_WRITE_LIMIT_BURST: '1000',
    });
    asCora = new WebClient(notes.url);
    await asCora.login(cora.username, cora.password);
    asFinn = new WebClient(notes.url);
    await asFinn.login(finn.username, finn.password);
    const added = await asCora.addNote({ title: 'Thread', body: 'talk here' });
    key = new URL(added.res.headers.get('location')!, notes.url).searchParams.get('key')!;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await notes?.close();
  });

  async function joined(client?: WebClient): Promise<Socket> {
    const s = await connectSocket(notes.url, '/notes', client ? { cookie: client.cookieHeader() } : {});
    sockets.push(s);
    expect(await emitAck(s, 'join', { key })).toMatchObject({ ok: true });
    return s;
  }
  const page = async (client: WebClient) => (await client.get(`/notes/view?key=${key}`)).text;
  const commentCard = (html: string, id: number) => {
    const start = html.indexOf(`data-id="${id}"`);
    if (start < 0) return undefined;
    const next = html.indexOf('class="card mb-2 note-message"', start);
    return html.slice(start, next < 0 ? html.indexOf('</section>', start) : next);
  };

  it('renders a comment’s Markdown on the server with the note sanitiser, without images', async () => {
    const reader = await joined();
    const arriving = nextEvent<Wire>(reader, 'newmessage');
    const writer = await joined(asCora);
    const answer = await emitAck(writer, 'create-message', {
      key,
      message:
        '**bold** ![cat](https://example.com/c.png) <script>window.x=1</script> <img src=x onerror=y()>',
    });
    expect(answer.ok).toBe(true);
    const live = await arriving;
    expect(live.html).toContain('<strong>bold</strong>');
    expect(live.html).not.toMatch(/<img|<script|onerror|window\.x/);
    expect(live.message).toContain('**bold**'); // the source, for the edit form
    const card = commentCard(await page(asFinn), live.id)!;
    expect(card).toContain('<strong>bold</strong>');
    expect(card).not.toMatch(/<img|<script/);
  });

  it('lets the author edit over the socket, seen live by other readers; refuses anyone else', async () => {
    const writer = await joined(asCora);
    const { message } = (await emitAck(writer, 'create-message', {
      key,
      message: 'first take',
    })) as unknown as {
      message: Wire;
    };
    const reader = await joined();
    const updated = nextEvent<Wire>(reader, 'updatemessage', (m) => m.id === message.id);
    const edit = await emitAck(writer, 'edit-message', { id: message.id, message: 'second *take*' });
    expect(edit).toMatchObject({ ok: true, message: { id: message.id, message: 'second *take*' } });
    const live = await updated;
    expect(live.html).toContain('<em>take</em>');
    expect(live.edited).toMatch(/^\d{4}-/);

    // Finn may read and comment, and the owner may delete it, but only its author changes it.
    const other = await joined(asFinn);
    const refused = await emitAck(other, 'edit-message', { id: message.id, message: 'hijacked' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await emitAck(other, 'edit-message', { id: message.id, message: '' })).toMatchObject({
      ok: false,
      error: { field: 'message' },
    });
    expect(await emitAck(other, 'delete-message', { id: message.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await emitAck(await joined(), 'edit-message', { id: message.id, message: 'anon' })).toMatchObject({
      ok: false,
    });
    const card = commentCard(await page(asCora), message.id)!;
    expect(card).toContain('<em>take</em>');
    expect(card).toContain('(edited)');
    expect(card).toContain('comment-edit');
    expect(commentCard(await page(asFinn), message.id)).not.toContain('comment-edit');
  });

  it('hides a deleted comment at once, brings it back on undo, removes it for good after the delay', async () => {
    const writer = await joined(asFinn);
    const { message } = (await emitAck(writer, 'create-message', { key, message: 'undo me' })) as unknown as {
      message: Wire;
    };
    const reader = await joined();
    const gone = nextEvent<{ id: number }>(reader, 'destroymessage', (m) => m.id === message.id);
    const deleted = await emitAck(writer, 'delete-message', { id: message.id });
    expect(deleted).toMatchObject({ ok: true, id: message.id, undoMs: 5000 });
    await gone;
    expect(commentCard(await page(asCora), message.id)).toBeUndefined();
    // Someone who may not delete it may not bring it back; the note's owner (who may delete any
    // comment of the note) may.
    expect(await emitAck(await joined(), 'undo-delete-message', { id: message.id })).toMatchObject({
      ok: false,
    });
    expect(await emitAck(await joined(asCora), 'undo-delete-message', { id: message.id })).toMatchObject({
      ok: true,
    });
    expect(commentCard(await page(asCora), message.id)).toBeDefined();

    const back = nextEvent<Wire>(reader, 'newmessage', (m) => m.id === message.id);
    await emitAck(writer, 'delete-message', { id: message.id });
    expect(await emitAck(writer, 'undo-delete-message', { id: message.id })).toMatchObject({ ok: true });
    expect((await back).html).toContain('undo me');

    // Deleted and left alone: after the undo time it is gone for good, and an undo is too late.
    const seen = collect<Wire>(reader, 'newmessage');
    await emitAck(writer, 'delete-message', { id: message.id });
    await new Promise((r) => setTimeout(r, 6500));
    expect(await emitAck(writer, 'undo-delete-message', { id: message.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(seen).toEqual([]);
    expect(commentCard(await page(asFinn), message.id)).toBeUndefined();
  }, 15_000);

  it('works without JavaScript: add, edit own (a form page), delete at once; others refused', async () => {
    const view = await page(asCora);
    const added = await asCora.post('/comments/add', {
      _csrf: csrfFrom(view, '/comments/add'),
      key,
      message: 'no *script* here',
    });
    expect(added.res.status).toBe(302);
    const id = Number(/#comment-(\d+)$/.exec(added.res.headers.get('location')!)?.[1]);
    expect(commentCard(await page(asCora), id)).toContain('<em>script</em>');

    // Bad input keeps the text and names the field in user words.
    const empty = await asCora.post('/comments/add', {
      _csrf: csrfFrom(view, '/comments/add'),
      key,
      message: ' ',
    });
    expect(empty.res.status).toBe(400);
    expect(empty.text).toMatch(/id="formmessage"[^>]*>[^<]*[Cc]omment|message/);

    const form = await asCora.get(`/comments/edit?id=${id}`);
    expect(form.res.status).toBe(200);
    expect(fieldValue(form.text, 'message')).toBe('no *script* here');
    const tooLong = 'x'.repeat(2001);
    const refusedLong = await asCora.post('/comments/edit', {
      _csrf: csrfFrom(form.text, '/comments/edit'),
      id: String(id),
      key,
      message: tooLong,
    });
    expect(refusedLong.res.status).toBe(400);
    expect(fieldValue(refusedLong.text, 'message')).toBe(tooLong);
    const saved = await asCora.post('/comments/edit', {
      _csrf: csrfFrom(form.text, '/comments/edit'),
      id: String(id),
      key,
      message: 'now **edited**',
    });
    expect(saved.res.status).toBe(302);
    expect(commentCard(await page(asCora), id)).toContain('<strong>edited</strong>');

    // Finn may not edit or delete Cora's comment; without a token nobody may.
    expect((await asFinn.get(`/comments/edit?id=${id}`)).res.status).toBe(403);
    const finnView = await page(asFinn);
    const finnToken = csrfFrom(finnView, '/comments/add');
    expect(
      (await asFinn.post('/comments/edit', { _csrf: finnToken, id: String(id), key, message: 'mine now' }))
        .res.status,
    ).toBe(403);
    expect((await asFinn.post('/comments/destroy', { _csrf: finnToken, id: String(id) })).res.status).toBe(
      403,
    );
    expect((await asCora.post('/comments/destroy', { id: String(id) })).res.status).toBe(403);
    expect(commentCard(await page(asCora), id)).toContain('<strong>edited</strong>');

    const deleted = await asCora.post('/comments/destroy', {
      _csrf: csrfFrom(await page(asCora), '/comments/destroy'),
      id: String(id),
    });
    expect(deleted.res.status).toBe(302);
    expect(deleted.res.headers.get('location')).toBe(`/notes/view?key=${key}`);
    expect(commentCard(await page(asCora), id)).toBeUndefined();
    expect((await asCora.get(`/comments/edit?id=${id}`)).res.status).toBe(404);
    expect((await asCora.get('/comments/edit?id=abc')).res.status).toBe(400);
  });

  it('answers 404 for the comments of a note the visitor may not read', async () => {
    const made = await asCora.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: '',
      title: 'Secret',
      body: 'x',
      visibility: 'private',
    });
    const secret = new URL(made.res.headers.get('location')!, notes.url).searchParams.get('key')!;
    const s = await connectSocket(notes.url, '/notes', { cookie: asCora.cookieHeader() });
    sockets.push(s);
    const { message } = (await emitAck(s, 'create-message', { key: secret, message: 'hush' })) as unknown as {
      message: Wire;
    };
    expect((await asFinn.get(`/comments/edit?id=${message.id}`)).res.status).toBe(404);
    const finnSocket = await joined(asFinn);
    expect(await emitAck(finnSocket, 'edit-message', { id: message.id, message: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
