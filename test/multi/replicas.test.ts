import {
  collect,
  connectSocket,
  emitAck,
  fieldValue,
  nextEvent,
  sliceFrom,
  WebClient,
} from '@notes/notes/testing';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppStack, startAppStack } from '../app/app-stack.js';

/**
 * Two svc-notes processes (built dist/main.js) sharing one MariaDB database and one Redis, as in
 * the compose stacks behind a layer-4 balancer: sessions, edits and comments cross replicas.
 */
describe('two svc-notes replicas sharing one database and one Redis', () => {
  let stack: AppStack;
  const sockets: Socket[] = [];
  const grace = { username: 'grace', password: 'grace-password-1' };
  const heidi = { username: 'heidi', password: 'heidi-password-1' };

  beforeAll(async () => {
    // Public notes: anonymous sockets read them here (who may read what: the sharing matrix).
    stack = await startAppStack({
      notesReplicas: 2,
      redis: 'own',
      name: 'multi',
      notesEnv: { NOTES_DEFAULT_VISIBILITY: 'public' },
    });
    await stack.createUser(grace.username, grace.password);
    await stack.createUser(heidi.username, heidi.password);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.stop();
  });

  const [a, b] = [() => stack.notes[0]!.url, () => stack.notes[1]!.url];

  async function socketOn(base: string, ns: '/home' | '/notes', cookie?: string): Promise<Socket> {
    const s = await connectSocket(base, ns, cookie ? { cookie } : {});
    sockets.push(s);
    return s;
  }

  it('a session made on one replica is valid on the other, and logout ends it on both', async () => {
    const onA = new WebClient(a());
    await onA.login(grace.username, grace.password);
    const onB = new WebClient(b());
    onB.setCookie('notes.sid', onA.cookie('notes.sid')!);
    const page = await onB.get('/notes/add');
    expect(page.res.status).toBe(200);
    expect(page.text).toContain('>grace</span>');
    // A form token issued by B is accepted by A (the token lives in the shared session).
    const saved = await onA.saveNote(page.text, {
      docreate: 'create',
      notekey: 'cross-session',
      title: 'Made on A with a form from B',
      body: 'x',
    });
    expect(saved.res.status).toBe(302);
    await onB.get('/users/logout', { 'sec-fetch-site': 'same-origin' });
    expect((await onA.get('/notes/add')).res.status).toBe(302);
  });

  it('an edit made through one replica reaches sockets connected to the other', async () => {
    const onA = new WebClient(a());
    await onA.login(grace.username, grace.password);
    await onA.addNote({ notekey: 'cross-edit', title: 'Before', body: 'before' });
    const home = await socketOn(b(), '/home');
    const reader = await socketOn(b(), '/notes');
    expect(await emitAck(reader, 'join', { key: 'cross-edit' })).toEqual({ ok: true, key: 'cross-edit' });
    const listEvent = nextEvent<{ key: string; title: string }>(
      home,
      'noteupdated',
      (n) => n.key === 'cross-edit',
    );
    const noteEvent = nextEvent<{ key: string; title: string; version: number }>(reader, 'noteupdated');
    const form = await onA.get('/notes/edit?key=cross-edit');
    const { res } = await onA.saveNote(form.text, {
      docreate: 'update',
      notekey: 'cross-edit',
      version: fieldValue(form.text, 'version')!,
      title: 'After',
      body: 'after',
    });
    expect(res.status).toBe(302);
    expect(await noteEvent).toMatchObject({ key: 'cross-edit', title: 'After', body: 'after', version: 2 });
    expect(await listEvent).toEqual({
      key: 'cross-edit',
      title: 'After',
      owner: 'grace',
      visibility: 'public',
    });
    // A note created on B shows up on A's home sockets, once.
    const homeA = await socketOn(a(), '/home');
    const seen = collect<{ key: string }>(homeA, 'notecreated');
    const onB = new WebClient(b());
    await onB.login(heidi.username, heidi.password);
    await onB.addNote({ notekey: 'made-on-b', title: 'B', body: 'b' });
    await expect.poll(() => seen.filter((n) => n.key === 'made-on-b').length, { timeout: 5000 }).toBe(1);
  });

  it('a comment made on one replica appears on the other, live and on the page', async () => {
    const onA = new WebClient(a());
    await onA.login(grace.username, grace.password);
    await onA.addNote({ notekey: 'cross-comment', title: 'Talk', body: 'talk' });
    const onB = new WebClient(b());
    await onB.login(heidi.username, heidi.password);

    const readerA = await socketOn(a(), '/notes');
    await emitAck(readerA, 'join', { key: 'cross-comment' });
    const writerB = await socketOn(b(), '/notes', onB.cookieHeader());
    await emitAck(writerB, 'join', { key: 'cross-comment' });

    const live = nextEvent<{ id: number; from: string; message: string }>(readerA, 'newmessage');
    const ack = await emitAck(writerB, 'create-message', { key: 'cross-comment', message: 'hello from B' });
    expect(ack.ok).toBe(true);
    const arrived = await live;
    expect(arrived).toMatchObject({ from: 'heidi', message: 'hello from B' });
    const page = await new WebClient(a()).get('/notes/view?key=cross-comment');
    expect(sliceFrom(page.text, 'noteMessages', 'id="older-messages"')).toContain('hello from B');

    // Deleting it on A (by the note owner) removes it live on B.
    const gone = nextEvent<{ id: number }>(writerB, 'destroymessage');
    const ownerSocketA = await socketOn(a(), '/notes', onA.cookieHeader());
    expect(await emitAck(ownerSocketA, 'delete-message', { id: arrived.id })).toEqual({
      ok: true,
      id: arrived.id,
      undoMs: 5000,
    });
    expect((await gone).id).toBe(arrived.id);
  });
});
