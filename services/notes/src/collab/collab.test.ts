import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, redisUrl, type TestDatabase } from '@notes/testkit/vitest';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollabClient, closeCollab, openCollab, sendRawUpdate, Y } from '../testing/collab-clients.js';
import { startTestNotes, type TestNotes } from '../testing/notes-in-process.js';
import { connectSocket, emitAck, nextEvent } from '../testing/sockets.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { fieldValue, WebClient } from '../testing/web-client.js';

let userauth: RunningUserauth;
const kim = { username: 'kim', password: 'kim-password-1' };
const lee = { username: 'lee', password: 'lee-password-1' };

beforeAll(async () => {
  userauth = await startUserauth([kim, lee]);
});

afterAll(async () => {
  await userauth?.stop();
});

// The shared document on one replica, in production shape and in the embedded mode (SQLite, no Redis).
describe.each(['mysql+redis', 'sqlite'] as const)('editing together (%s)', (mode) => {
  let notes: TestNotes;
  let db: TestDatabase | undefined;
  let dir: string | undefined;
  const clients: CollabClient[] = [];
  const web: Record<string, WebClient> = {};

  beforeAll(async () => {
    let env: Record<string, string>;
    if (mode === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'notes-collab-'));
      env = { NOTES_DB_URL: `sqlite:${join(dir, 'notes.sqlite')}` };
    } else {
      db = await createTestDatabase('notes_collab');
      env = { NOTES_DB_URL: db.url, NOTES_REDIS_URL: redisUrl(), NOTES_MIGRATE_ON_START: 'true' };
    }
    notes = await startTestNotes({
      ...env,
      NOTES_DEFAULT_VISIBILITY: 'team',
      USERAUTH_URL: userauth.url,
      USERAUTH_API_KEY: userauth.apiKey,
      NOTES_COLLAB_COMPACT_IDLE_MS: '200',
      NOTES_COLLAB_COMPACT_MAX_MS: '1000',
      // Low, for the rate limit test (the others send a few updates per socket).
      NOTES_COLLAB_UPDATE_LIMIT_PER_SECOND: '2',
      NOTES_COLLAB_UPDATE_LIMIT_BURST: '5',
    });
    for (const u of [kim, lee]) {
      web[u.username] = new WebClient(notes.url);
      await web[u.username]!.login(u.username, u.password);
    }
  });

  afterAll(async () => {
    for (const c of clients) closeCollab(c);
    await notes?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(key: string, who: { username: string }, retryMs?: number): Promise<CollabClient> {
    const c = await openCollab(notes.url, key, {
      cookie: web[who.username]!.cookieHeader(),
      resyncMs: 500,
      ...(retryMs ? { retryMs } : {}),
    });
    clients.push(c);
    return c;
  }

  async function count(sql: string, key: string): Promise<number> {
    const rows = await notes.db.query<{ n: number }>(sql, { replacements: [key], type: QueryTypes.SELECT });
    return Number(rows[0]?.n ?? 0);
  }
  const logRows = (key: string) =>
    count('SELECT COUNT(*) AS n FROM note_collab_updates WHERE noteKey = ?', key);

  async function body(key: string): Promise<string> {
    const rows = await notes.db.query<{ body: string }>('SELECT body FROM notes WHERE `key` = ?', {
      replacements: [key],
      type: QueryTypes.SELECT,
    });
    return rows[0]?.body ?? '';
  }

  it('two editors converge, the log is compacted into the body, and readers of the page hear of it', async () => {
    const k = web[kim.username]!;
    expect((await k.addNote({ notekey: 'together', title: 'Together', body: 'abc' })).res.status).toBe(302);
    const a = await open('together', kim);
    const b = await open('together', kim);
    const reader = await open('together', lee);
    expect([a.mayEdit, b.mayEdit, reader.mayEdit]).toEqual([true, true, false]);
    const page = await connectSocket(notes.url, '/notes', { cookie: web[lee.username]!.cookieHeader() });
    await emitAck(page, 'join', { key: 'together' });
    const updated = nextEvent<{ body: string }>(page, 'noteupdated', (n) => n.body.includes('X'), 10_000);
    a.text.insert(0, 'X');
    b.text.insert(3, 'Y');
    await expect.poll(() => a.allSaved && b.allSaved, { timeout: 5000 }).toBe(true);
    await expect
      .poll(() => new Set([a, b, reader].map((c) => c.text.toString())).size, { timeout: 5000 })
      .toBe(1);
    expect(a.text.toString()).toBe('XabcY');
    await expect.poll(() => logRows('together'), { timeout: 5000 }).toBe(0);
    expect(await body('together')).toBe('XabcY');
    expect((await updated).body).toBe('XabcY');
    // A new client after compaction starts from the stored state, not from the body again.
    const late = await open('together', kim);
    expect(late.text.toString()).toBe('XabcY');
    page.close();
  });

  it('each sees who else is in the note, named by the server whatever the page claims', async () => {
    const k = web[kim.username]!;
    await k.addNote({ notekey: 'presence', title: 'Presence', body: 'here' });
    const first = await open('presence', kim);
    first.awareness.setLocalStateField('user', { name: 'someone else' });
    const second = await open('presence', lee);
    const names = (c: CollabClient) =>
      [...c.awareness.getStates()]
        .filter(([id]) => id !== c.awareness.clientID)
        .map(([, s]) => (s as { user?: { name: string } }).user?.name);
    await expect.poll(() => names(second), { timeout: 5000 }).toEqual(['kim']);
    await expect.poll(() => names(first), { timeout: 5000 }).toEqual(['lee']);
    closeCollab(second);
    await expect.poll(() => names(first), { timeout: 5000 }).toEqual([]);
  });

  it('a socket sending updates too fast is refused beyond its burst; the page keeps its changes and sends them again', async () => {
    const k = web[kim.username]!;
    await k.addNote({ notekey: 'rapid', title: 'Rapid', body: '' });
    const raw = await open('rapid', kim);
    const watcher = await open('rapid', lee);
    // Eight updates in a row from one socket (as a modified page would send them): the burst of
    // five passes, the rest is refused, stored nowhere and relayed to nobody.
    const words = Array.from({ length: 8 }, (_, i) => `w${i};`);
    const answers = await Promise.all(
      words.map((word, i) => {
        const d = new Y.Doc();
        d.clientID = 1000 + i;
        d.getText('body').insert(0, word);
        return sendRawUpdate(raw, Y.encodeStateAsUpdate(d));
      }),
    );
    const passed = words.filter((_, i) => answers[i]!.ok);
    const refused = answers.filter((a) => !a.ok);
    expect(passed.length).toBeGreaterThanOrEqual(5);
    expect(passed.length).toBeLessThan(8);
    for (const a of refused) expect(a.error?.code).toBe('rate_limited');
    await expect.poll(() => watcher.text.length, { timeout: 5000 }).toBe(passed.join('').length);
    await expect.poll(() => logRows('rapid'), { timeout: 5000 }).toBe(0);
    const stored = await body('rapid');
    for (const word of words) expect(stored.includes(word)).toBe(passed.includes(word));

    // The page's client typing fast: refused ones are kept ("saving", never "refused") and sent
    // again, merged, once the bucket has refilled; every character arrives and is stored.
    const typist = await open('rapid', kim, 200);
    const states = new Set<string>();
    const timer = setInterval(() => states.add(typist.state), 5);
    for (let i = 0; i < 30; i++) {
      typist.text.insert(typist.text.length, String.fromCharCode(97 + (i % 26)));
      await new Promise((r) => setTimeout(r, 10));
    }
    await expect.poll(() => typist.allSaved && typist.state === 'saved', { timeout: 15_000 }).toBe(true);
    clearInterval(timer);
    expect(states.has('refused')).toBe(false);
    const typed = 'abcdefghijklmnopqrstuvwxyzabcd';
    await expect.poll(() => watcher.text.toString().endsWith(typed), { timeout: 5000 }).toBe(true);
    await expect.poll(() => body('rapid'), { timeout: 5000 }).toBe(watcher.text.toString());
  });

  it('a reader who loses access leaves the room; a deleted note takes its log with it', async () => {
    const k = web[kim.username]!;
    await k.addNote({ notekey: 'closing', title: 'Closing', body: 'team text' });
    const reader = await open('closing', lee);
    const owner = await open('closing', kim);
    const lost = nextEvent(reader.socket, 'noteunavailable');
    const form = await k.get('/notes/edit?key=closing');
    const saved = await k.saveNote(form.text, {
      docreate: 'update',
      notekey: 'closing',
      version: fieldValue(form.text, 'version')!,
      title: 'Closing',
      body: 'team text',
      visibility: 'private',
    });
    expect(saved.res.status).toBe(302);
    await lost;
    owner.text.insert(0, 'more ');
    await expect.poll(() => owner.allSaved, { timeout: 5000 }).toBe(true);
    // The reader's socket is out of the room: nothing of the private note reaches it.
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.text.toString()).toBe('team text');
    const gone = nextEvent(owner.socket, 'notedestroyed');
    await k.submit('/notes/destroy?key=closing', '/notes/destroy/confirm', { notekey: 'closing' });
    await gone;
    expect(await logRows('closing')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM note_collab_states WHERE noteKey = ?', 'closing')).toBe(0);
  });
});
