import { freePort } from '@notes/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCollab, openCollab, sendRawUpdate, Y } from '../testing/collab-clients.js';
import { startTestNotesOnMariadb, type TestNotes } from '../testing/notes-in-process.js';
import { connectSocket, nextEvent } from '../testing/sockets.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { WebClient } from '../testing/web-client.js';

/** The sum of the samples of `name` whose labels include `labels`. */
function sum(text: string, name: string, labels: Record<string, string> = {}): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

let userauth: RunningUserauth;
let notes: TestNotes;
let metricsUrl: string;

beforeAll(async () => {
  userauth = await startUserauth([
    { username: 'mia', password: 'mia-password-1' },
    { username: 'max', password: 'max-password-1' },
  ]);
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  notes = await startTestNotesOnMariadb('notes_metrics', userauth, {
    NOTES_METRICS_PORT: String(port),
    NOTES_LOGIN_LIMIT_PER_USER: '2',
    NOTES_COLLAB_COMPACT_IDLE_MS: '100',
    NOTES_COLLAB_UPDATE_LIMIT_PER_SECOND: '1',
    NOTES_COLLAB_UPDATE_LIMIT_BURST: '3',
  });
});

afterAll(async () => {
  await notes?.close();
  await userauth?.stop();
});

describe('svc-notes /metrics (NOTES_METRICS_PORT)', () => {
  it('counts requests by route template, live events, sockets, store and userauth latency, logins', async () => {
    const client = new WebClient(notes.url);
    await client.login('mia', 'mia-password-1');
    const cookie = client.cookieHeader();
    const socket = await connectSocket(notes.url, '/home', { cookie });
    try {
      const seen = nextEvent(socket, 'notecreated');
      const saved = await client.submit('/notes/add', '/notes/save', {
        docreate: 'create',
        notekey: 'm1',
        title: 'Measured',
        body: 'x',
        visibility: 'public', // read anonymously below
      });
      expect(saved.res.status).toBe(302);
      await seen;
      expect((await new WebClient(notes.url).get('/notes/view?key=m1')).res.status).toBe(200);
      const wrong = new WebClient(notes.url);
      for (let i = 0; i < 3; i++)
        await wrong.submit('/users/login', '/users/login', { username: 'mia', password: 'nope-nope' });

      const res = await fetch(metricsUrl);
      expect(res.status).toBe(200);
      const text = await res.text();
      const count = 'http_request_duration_seconds_count';
      expect(sum(text, count, { route: '/notes/view', status: '200', method: 'GET' })).toBe(1);
      expect(sum(text, count, { route: '/notes/save', status: '302', method: 'POST' })).toBe(1);
      expect(text, 'never the raw URL').not.toContain('key=m1');
      expect(sum(text, 'notes_socket_connections')).toBe(1);
      expect(sum(text, 'notes_live_events_sent_total', { namespace: '/home', event: 'notecreated' })).toBe(1);
      expect(sum(text, 'db_query_duration_seconds_count', { operation: 'INSERT' })).toBeGreaterThan(0);
      expect(sum(text, 'redis_command_duration_seconds_count', { command: 'SET' })).toBeGreaterThan(0);
      expect(sum(text, 'notes_userauth_request_duration_seconds_count', { operation: 'passwordCheck' })).toBe(
        4,
      );
      expect(sum(text, 'notes_logins_total', { result: 'success' })).toBe(1);
      expect(sum(text, 'notes_logins_total', { result: 'rejected' })).toBe(3);
      expect(sum(text, 'notes_dependency_up', { dependency: 'redis' })).toBe(1);
      expect(sum(text, 'notes_dependency_up', { dependency: 'userauth' })).toBe(1);
      expect(sum(text, 'notes_userauth_request_failures_total')).toBe(0);
    } finally {
      socket.close();
    }
    expect((await new WebClient(notes.url).get('/metrics')).res.status, 'not on the public port').toBe(404);
  });

  it('tells of editing together: loaded documents, updates stored and refused by reason, batches, compactions', async () => {
    const client = new WebClient(notes.url);
    await client.login('max', 'max-password-1');
    await client.addNote({ notekey: 'm-collab', title: 'Together', body: 'start' });
    const editor = await openCollab(notes.url, 'm-collab', { cookie: client.cookieHeader() });
    try {
      editor.text.insert(0, 'typed ');
      await expect.poll(() => editor.allSaved, { timeout: 5000 }).toBe(true);
      const update = (text: string) => {
        const d = new Y.Doc();
        d.getText('body').insert(0, text);
        return sendRawUpdate(editor, Y.encodeStateAsUpdate(d));
      };
      expect((await update('x'.repeat(60 * 1024))).error?.code).toBe('too_large');
      // The burst is 3 and one is spent: of three more in a row at least one is refused.
      const answers = await Promise.all(['a', 'b', 'c'].map(update));
      const limited = answers.filter((a) => a.error?.code === 'rate_limited').length;
      expect(limited).toBeGreaterThan(0);
      const stored = 1 + answers.filter((a) => a.ok).length;
      const scrape = async () => (await fetch(metricsUrl)).text();
      await expect
        .poll(async () => sum(await scrape(), 'notes_collab_compactions_total'), { timeout: 5000 })
        .toBeGreaterThan(0);
      const text = await scrape();
      expect(sum(text, 'notes_collab_loaded_documents')).toBe(1);
      expect(sum(text, 'notes_collab_updates_stored_total')).toBe(stored);
      expect(sum(text, 'notes_collab_updates_refused_total', { reason: 'too_large' })).toBe(1);
      expect(sum(text, 'notes_collab_updates_refused_total', { reason: 'rate_limited' })).toBe(limited);
      expect(sum(text, 'notes_collab_store_batch_rows_sum')).toBe(stored);
      expect(sum(text, 'notes_collab_store_duration_seconds_count')).toBeGreaterThan(0);
      expect(sum(text, 'notes_collab_compacted_rows_total')).toBe(stored);
    } finally {
      closeCollab(editor);
    }
  });

  it('counts failed calls when svc-userauth is gone', async () => {
    await userauth.stop();
    const login = await new WebClient(notes.url).submit('/users/login', '/users/login', {
      username: 'zoe',
      password: 'zoe-password-1',
    });
    expect(login.res.status).not.toBe(200);
    const text = await (await fetch(metricsUrl)).text();
    expect(
      sum(text, 'notes_userauth_request_failures_total', {
        operation: 'passwordCheck',
        reason: 'unavailable',
      }),
    ).toBe(1);
    expect(sum(text, 'notes_logins_total', { result: 'error' })).toBe(1);
    expect(sum(text, 'notes_dependency_up', { dependency: 'userauth' })).toBe(0);
  });
});
