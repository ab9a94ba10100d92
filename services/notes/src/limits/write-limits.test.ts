import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSALS_BEFORE_DISCONNECT } from '../realtime/socket-writes.js';
import { startTestNotesOnMariadb, type TestNotes } from '../testing/notes-in-process.js';
import { type AckAnswer, connectSocket, emitAck, nextEvent } from '../testing/sockets.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, fieldValue, textOf, WebClient } from '../testing/web-client.js';

let userauth: RunningUserauth;
let notes: TestNotes;
const sockets: Socket[] = [];
const ivan = { username: 'ivan', password: 'ivan-password-1' };
const judy = { username: 'judy', password: 'judy-password-1' };
// The defaults (README "Write limits"): 5 writes a second, bursts of 20.
const RATE = 5;
const BURST = 20;

beforeAll(async () => {
  userauth = await startUserauth([ivan, judy]);
  // Public notes: an anonymous socket reads along here (who may read what: the sharing matrix).
  notes = await startTestNotesOnMariadb('notes_writes', userauth, { NOTES_DEFAULT_VISIBILITY: 'public' });
  expect(notes.config.NOTES_WRITE_LIMIT_PER_SECOND).toBe(RATE);
  expect(notes.config.NOTES_WRITE_LIMIT_BURST).toBe(BURST);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await notes?.close();
  await userauth?.stop();
});

async function user(who: { username: string; password: string }): Promise<WebClient> {
  const client = new WebClient(notes.url);
  await client.login(who.username, who.password);
  return client;
}

async function joined(key: string, client?: WebClient): Promise<Socket> {
  const s = await connectSocket(notes.url, '/notes', client ? { cookie: client.cookieHeader() } : {});
  sockets.push(s);
  expect(await emitAck(s, 'join', { key })).toEqual({ ok: true, key });
  return s;
}

async function storedBy(author: string, key: string): Promise<number> {
  const [rows] = await notes.db.query('SELECT COUNT(*) AS n FROM comments WHERE noteKey = ? AND author = ?', {
    replacements: [key, author],
  });
  return Number((rows as Array<{ n: number }>)[0]!.n);
}

describe('write rate limits (token buckets per socket and per user)', () => {
  it('a flood of 2,000 socket comments stores at most the bucket, disconnects, and others still get through', async () => {
    const ivanWeb = await user(ivan);
    const judyWeb = await user(judy);
    const key = 'flooded';
    const made = await ivanWeb.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: key,
      title: 'Flooded',
      body: 'x',
    });
    expect(made.res.status).toBe(302);
    const reader = await joined(key);
    const seen: { from: string; message: string }[] = [];
    reader.on('newmessage', (m: { from: string; message: string }) => seen.push(m));
    const flooder = await joined(key, ivanWeb);
    const disconnected = new Promise<string>((r) => flooder.once('disconnect', (reason) => r(reason)));

    const FLOOD = 2000;
    const answers: AckAnswer[] = [];
    const started = Date.now();
    for (let i = 0; i < FLOOD; i++)
      flooder.emit('create-message', { key, message: `spam ${i}` }, (a: AckAnswer) => answers.push(a));
    expect(await disconnected).toBe('io server disconnect');
    const elapsedSeconds = (Date.now() - started) / 1000;

    const accepted = answers.filter((a) => a.ok).length;
    const refused = answers.filter((a) => !a.ok);
    expect(refused.every((a) => a.error?.code === 'rate_limited')).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(REFUSALS_BEFORE_DISCONNECT);
    // Every acknowledged comment is stored, and no more than the bucket held (its burst plus what
    // flowed in while the flood lasted).
    const stored = await storedBy(ivan.username, key);
    expect(stored).toBe(accepted);
    // (One of ivan's tokens went to saving the note.)
    expect(stored).toBeGreaterThanOrEqual(BURST - 1);
    expect(stored).toBeLessThanOrEqual(BURST + Math.ceil(elapsedSeconds * RATE) + 1);

    // Another user's comment is stored and delivered meanwhile.
    const writer = await joined(key, judyWeb);
    const live = nextEvent<{ from: string; message: string }>(reader, 'newmessage', (m) => m.from === 'judy');
    expect(await emitAck(writer, 'create-message', { key, message: 'still here' })).toMatchObject({
      ok: true,
    });
    expect(await live).toMatchObject({ from: 'judy', message: 'still here' });
    expect(await storedBy(judy.username, key)).toBe(1);
    expect(seen.filter((m) => m.from === 'ivan')).toHaveLength(stored);

    // The limit is the user's, not only the socket's: a fresh socket of ivan's finds his bucket empty.
    const again = await joined(key, ivanWeb);
    const retries: AckAnswer[] = [];
    for (let i = 0; i < BURST; i++) retries.push(await emitAck(again, 'delete-message', { id: 1 }));
    expect(retries.filter((a) => a.error?.code === 'rate_limited').length).toBeGreaterThan(0);
    console.info(
      `flood: ${FLOOD} sent, ${accepted} stored, ${refused.length} refused before the disconnect (${elapsedSeconds.toFixed(2)} s)`,
    );
  });

  it('too many note saves answer 429 with the form and the typed text kept', async () => {
    const judyWeb = await user(judy);
    const form = await judyWeb.get('/notes/add');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    let refused: { status: number; text: string } | undefined;
    let saved = 0;
    for (let i = 0; i < BURST * 3 && !refused; i++) {
      const body = `draft number ${i}\nwith two lines`;
      const { res, text } = await judyWeb.post('/notes/save', {
        _csrf: token,
        docreate: 'create',
        notekey: '',
        title: `Draft ${i}`,
        body,
      });
      if (res.status === 302) saved++;
      else refused = { status: res.status, text };
    }
    expect(refused?.status).toBe(429);
    expect(saved).toBeGreaterThanOrEqual(BURST - 1);
    const text = refused!.text;
    expect(textOf(byId(text, 'formmessage'))).toMatch(/too many/i);
    expect(fieldValue(text, 'title')).toBe(`Draft ${saved}`);
    expect(fieldValue(text, 'body')).toBe(`draft number ${saved}\nwith two lines`);
    expect(text).toContain('action="/notes/save"');
  });
});
