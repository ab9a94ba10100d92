import { freePort } from '@notes/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  userauth = await startUserauth([{ username: 'mia', password: 'mia-password-1' }]);
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  notes = await startTestNotesOnMariadb('notes_metrics', userauth, {
    NOTES_METRICS_PORT: String(port),
    NOTES_LOGIN_LIMIT_PER_USER: '2',
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
