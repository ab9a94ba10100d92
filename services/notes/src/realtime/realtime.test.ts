import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, redisUrl, type TestDatabase } from '@notes/testkit/vitest';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotes, type TestNotes } from '../testing/notes-in-process.js';
import { collect, connectSocket, emitAck, nextEvent } from '../testing/sockets.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { csrfFrom, fieldValue, sliceFrom, WebClient } from '../testing/web-client.js';

let userauth: RunningUserauth;
const erin = { username: 'erin', password: 'erin-password-1' };
const frank = { username: 'frank', password: 'frank-password-1' };

beforeAll(async () => {
  userauth = await startUserauth([erin, frank]);
});

afterAll(async () => {
  await userauth?.stop();
});

// The same behaviour in production shape (MariaDB + Redis) and in the embedded mode (SQLite, no Redis).
describe.each(['mysql+redis', 'sqlite'] as const)('live updates and comments (%s)', (mode) => {
  let notes: TestNotes;
  let db: TestDatabase | undefined;
  let dir: string | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    let env: Record<string, string>;
    if (mode === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'notes-sqlite-'));
      env = { NOTES_DB_URL: `sqlite:${join(dir, 'notes.sqlite')}` };
    } else {
      db = await createTestDatabase('notes_rt');
      env = { NOTES_DB_URL: db.url, NOTES_REDIS_URL: redisUrl(), NOTES_MIGRATE_ON_START: 'true' };
    }
    // Public notes, as anonymous readers are part of these tests (visibility: the sharing matrix).
    notes = await startTestNotes({
      ...env,
      NOTES_DEFAULT_VISIBILITY: 'public',
      USERAUTH_URL: userauth.url,
      USERAUTH_API_KEY: userauth.apiKey,
      // These tests write faster than a person (limits/write-limits.test.ts tests the limits).
      NOTES_WRITE_LIMIT_BURST: '1000',
    });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await notes?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function socket(ns: '/home' | '/notes', client?: WebClient): Promise<Socket> {
    const s = await connectSocket(notes.url, ns, client ? { cookie: client.cookieHeader() } : {});
    sockets.push(s);
    return s;
  }

  async function user(who: { username: string; password: string }): Promise<WebClient> {
    const client = new WebClient(notes.url);
    await client.login(who.username, who.password);
    return client;
  }

  async function addNote(client: WebClient, key: string, title: string, body = 'text'): Promise<void> {
    const { res } = await client.addNote({ notekey: key, title, body });
    expect(res.status).toBe(302);
  }

  async function editNote(client: WebClient, key: string, title: string, body: string): Promise<void> {
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

  it('anonymous home sockets get small list events: created, updated, destroyed', async () => {
    const home = await socket('/home');
    const erinWeb = await user(erin);
    const key = `live-${mode.replace(/\W/g, '')}`;
    const created = nextEvent<{ key: string; title: string }>(home, 'notecreated', (n) => n.key === key);
    await addNote(erinWeb, key, 'Live <i>one</i>');
    expect(await created).toEqual({ key, title: 'Live <i>one</i>', owner: 'erin', visibility: 'public' });

    const updated = nextEvent<{ key: string }>(home, 'noteupdated', (n) => n.key === key);
    await editNote(erinWeb, key, 'Live two', 'a long body that the list does not need');
    expect(await updated).toEqual({ key, title: 'Live two', owner: 'erin', visibility: 'public' });

    const destroyed = nextEvent<string>(home, 'notedestroyed', (k) => k === key);
    const confirm = await erinWeb.get(`/notes/destroy?key=${key}`);
    await erinWeb.post('/notes/destroy/confirm', {
      _csrf: csrfFrom(confirm.text, '/notes/destroy/confirm'),
      notekey: key,
    });
    expect(await destroyed).toBe(key);
  });

  it('a note room: joins are checked, readers get noteupdated and notedestroyed', async () => {
    const erinWeb = await user(erin);
    const key = 'room-note';
    await addNote(erinWeb, key, 'Room', 'first body');
    const reader = await socket('/notes');
    expect(await emitAck(reader, 'join', { key: 'no-such-note' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await emitAck(reader, 'join', { key: '<bad key>' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'key' },
    });
    expect(await emitAck(reader, 'join', 'not an object')).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await emitAck(reader, 'join', { key })).toEqual({ ok: true, key });

    const outsider = await socket('/notes');
    await emitAck(outsider, 'join', { key: 'versioned-elsewhere' });
    const leaked = collect(outsider, 'noteupdated');

    const updated = nextEvent<Record<string, unknown>>(reader, 'noteupdated');
    await editNote(erinWeb, key, 'Room 2', '**second** body');
    expect(await updated).toEqual({
      key,
      title: 'Room 2',
      body: '**second** body',
      version: 2,
      owner: 'erin',
      visibility: 'public',
    });
    const fragment = await new WebClient(notes.url).get(`/notes/body?key=${key}`);
    expect(fragment.text).toContain('<strong>second</strong>');

    const gone = nextEvent<string>(reader, 'notedestroyed');
    const confirm = await erinWeb.get(`/notes/destroy?key=${key}`);
    await erinWeb.post('/notes/destroy/confirm', {
      _csrf: csrfFrom(confirm.text, '/notes/destroy/confirm'),
      notekey: key,
    });
    expect(await gone).toBe(key);
    expect(leaked).toEqual([]);
  });

  it('comments: author from the session, acks, live to anonymous readers, delete rights', async () => {
    const erinWeb = await user(erin);
    const frankWeb = await user(frank);
    const key = 'commented';
    await addNote(erinWeb, key, 'Comment on me');

    const anon = await socket('/notes');
    await emitAck(anon, 'join', { key });
    const frankSocket = await socket('/notes', frankWeb);
    await emitAck(frankSocket, 'join', { key });
    const erinSocket = await socket('/notes', erinWeb);
    await emitAck(erinSocket, 'join', { key });

    // Anonymous visitors read but may not write.
    expect(await emitAck(anon, 'create-message', { key, message: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });

    const live = nextEvent<Record<string, unknown>>(anon, 'newmessage');
    const created = await emitAck(frankSocket, 'create-message', {
      key,
      message: '<b>hello</b>',
      from: 'erin',
    });
    expect(created.ok).toBe(true);
    const message = created.message as { id: number; from: string; time: string; timestamp: string };
    expect(message).toMatchObject({ key, from: 'frank', message: '<b>hello</b>' });
    expect(await live).toEqual(message);
    expect(message.time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);

    // The page renders the same Markdown (inline HTML through the notes' sanitiser), and the same time string as the exact time in the
    // title of a relative one (right without JavaScript).
    const page = await new WebClient(notes.url).get(`/notes/view?key=${key}`);
    const list = sliceFrom(page.text, 'noteMessages', 'id="older-messages"');
    expect(list).toContain(`data-id="${message.id}"`);
    expect(list).toContain('<div class="card-text mb-1 message-text text-break"><p><b>hello</b></p>');
    expect(list).toContain(`<time datetime="${message.timestamp}" title="${message.time}">just now</time>`);

    // Bad input gets a clear refusal naming the field.
    expect(await emitAck(frankSocket, 'create-message', { key, message: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'message' },
    });
    expect(await emitAck(frankSocket, 'create-message', { key, message: 'x'.repeat(2001) })).toMatchObject({
      ok: false,
      error: { field: 'message' },
    });
    expect(await emitAck(frankSocket, 'create-message', { key: 'missing-note', message: 'x' })).toMatchObject(
      {
        ok: false,
        error: { code: 'not_found' },
      },
    );
    expect(await emitAck(frankSocket, 'delete-message', { id: 'one' })).toMatchObject({
      ok: false,
      error: { field: 'id' },
    });

    // Someone else's comment on someone else's note: refused. The author may; the note owner may.
    const erinsOwn = await emitAck(erinSocket, 'create-message', { key, message: 'by the owner' });
    const erinsId = (erinsOwn.message as { id: number }).id;
    expect(await emitAck(frankSocket, 'delete-message', { id: erinsId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const removed = nextEvent<{ id: number }>(anon, 'destroymessage');
    expect(await emitAck(frankSocket, 'delete-message', { id: message.id })).toEqual({
      ok: true,
      id: message.id,
      undoMs: 5000,
    });
    expect((await removed).id).toBe(message.id);
    const another = await emitAck(frankSocket, 'create-message', { key, message: 'owner deletes this' });
    expect(
      await emitAck(erinSocket, 'delete-message', { id: (another.message as { id: number }).id }),
    ).toMatchObject({ ok: true });
    expect(await emitAck(anon, 'delete-message', { id: erinsId })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it('shows the newest 20 comments and pages older ones; comments go with their note', async () => {
    const erinWeb = await user(erin);
    const key = 'chatty';
    await addNote(erinWeb, key, 'Chatty');
    const s = await socket('/notes', erinWeb);
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) {
      const a = await emitAck(s, 'create-message', { key, message: `comment ${i}` });
      ids.push((a.message as { id: number }).id);
    }
    const page = await new WebClient(notes.url).get(`/notes/view?key=${key}`);
    const shown = [
      ...sliceFrom(page.text, 'noteMessages', 'id="older-messages"').matchAll(/data-id="(\d+)"/g),
    ].map((m) => Number(m[1]));
    expect(shown).toEqual(ids.slice(5).reverse());
    const before = /id="older-messages"[^>]*data-before="(\d+)"/.exec(page.text);
    expect(Number(before?.[1])).toBe(ids[5]);
    const older = await emitAck(s, 'older-messages', { key, before: ids[5] });
    expect(older.ok).toBe(true);
    expect((older.messages as Array<{ id: number }>).map((m) => m.id)).toEqual(ids.slice(0, 5).reverse());
    expect(older.more).toBe(false);

    const confirm = await erinWeb.get(`/notes/destroy?key=${key}`);
    await erinWeb.post('/notes/destroy/confirm', {
      _csrf: csrfFrom(confirm.text, '/notes/destroy/confirm'),
      notekey: key,
    });
    const [rows] = await notes.db.query('SELECT COUNT(*) AS n FROM comments WHERE noteKey = ?', {
      replacements: [key],
    });
    expect(Number((rows as Array<{ n: number }>)[0]!.n)).toBe(0);
  });

  it('refuses sockets from another Origin or without one', async () => {
    await expect(connectSocket(notes.url, '/home', { origin: 'http://evil.example' })).rejects.toThrow();
    await expect(connectSocket(notes.url, '/notes', { origin: null })).rejects.toThrow();
    const ok = await socket('/home');
    expect(ok.connected).toBe(true);
  });

  it('sessions survive a restart of the server', async () => {
    if (mode !== 'sqlite') return; // the Redis store obviously outlives the process; the DB store is the question
    const client = await user(erin);
    await notes.close();
    notes = await startTestNotes({
      NOTES_DB_URL: notes.config.NOTES_DB_URL,
      NOTES_SESSION_SECRET: notes.config.NOTES_SESSION_SECRET,
      NOTES_DEFAULT_VISIBILITY: 'public',
      USERAUTH_URL: userauth.url,
      USERAUTH_API_KEY: userauth.apiKey,
    });
    client.setCookie('notes.sid', client.cookie('notes.sid')!);
    const again = new WebClient(notes.url);
    again.setCookie('notes.sid', client.cookie('notes.sid')!);
    const { res, text } = await again.get('/notes/add');
    expect(res.status).toBe(200);
    expect(text).toMatch(
      /href="\/users\/logout"[^>]*>(?:(?!<\/a>).)*<span class="[^"]*\busername\b[^"]*">erin<\/span>/,
    );
  });
});
