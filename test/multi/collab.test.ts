import { createServer, type Server, Socket as TcpSocket } from 'node:net';
import {
  COLLAB_UPDATE_MAX,
  type CollabClient,
  closeCollab,
  fieldValue,
  openCollab,
  sendRawUpdate,
  WebClient,
  Y,
} from '@notes/notes/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppStack, startAppStack } from '../app/app-stack.js';

/**
 * Editing together (DESIGN 4.9) on two real svc-notes replicas sharing MariaDB and Redis, driven
 * by headless Yjs clients (the page's own CollabClient class) over `/collab`.
 */
describe('editing together across two replicas', () => {
  let stack: AppStack;
  let db: mysql.Connection;
  const clients: CollabClient[] = [];
  const owner = { username: 'olga', password: 'olga-password-1' };
  const editor = { username: 'eddy', password: 'eddy-password-1' };
  const viewer = { username: 'vera', password: 'vera-password-1' };
  const outsider = { username: 'otto', password: 'otto-password-1' };
  const web: Record<string, WebClient> = {};

  beforeAll(async () => {
    stack = await startAppStack({
      notesReplicas: 2,
      redis: 'own',
      name: 'collab',
      notesEnv: {
        NOTES_COLLAB_COMPACT_IDLE_MS: '300',
        NOTES_COLLAB_COMPACT_MAX_MS: '1500',
        // No catch-up from the log during these tests: what crosses replicas here crossed as a relay.
        NOTES_COLLAB_CATCHUP_MS: '600000',
      },
    });
    for (const u of [owner, editor, viewer, outsider]) {
      await stack.createUser(u.username, u.password);
      web[u.username] = new WebClient(stack.notes[0]!.url);
      await web[u.username]!.login(u.username, u.password);
    }
    db = await mysql.createConnection(stack.notesDb.url);
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) closeCollab(c);
    await db?.end();
    await stack?.stop();
  });

  const urls = () => stack.notes.map((n) => n.url);

  /** A private note of the owner, shared with the editor and the viewer. */
  async function sharedNote(key: string, body: string): Promise<void> {
    const o = web[owner.username]!;
    const saved = await o.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: key,
      title: key,
      body,
      visibility: 'private',
    });
    expect(saved.res.status).toBe(302);
    for (const [username, role] of [
      [editor.username, 'editor'],
      [viewer.username, 'viewer'],
    ] as const) {
      const shared = await o.submit(`/notes/share?key=${key}`, '/notes/share', { key, username, role });
      expect(shared.res.status).toBe(302);
    }
  }

  async function open(base: string, key: string, who: { username: string }): Promise<CollabClient> {
    const client = await openCollab(base, key, { cookie: web[who.username]!.cookieHeader(), resyncMs: 1000 });
    clients.push(client);
    return client;
  }

  async function storedBody(key: string): Promise<string> {
    const [rows] = await db.query('SELECT body FROM notes WHERE `key` = ?', [key]);
    return (rows as { body: string }[])[0]!.body;
  }

  async function logRows(key: string): Promise<number> {
    const [rows] = await db.query('SELECT COUNT(*) AS n FROM note_collab_updates WHERE noteKey = ?', [key]);
    return Number((rows as { n: number }[])[0]!.n);
  }

  const allSaved = (cs: CollabClient[]) => cs.every((c) => c.allSaved && c.state === 'saved');

  it('random concurrent inserts and deletes on both replicas converge, and the stored body equals the text after compaction', async () => {
    await sharedNote('converge', 'The start.\n');
    const editors = [
      await open(urls()[0]!, 'converge', owner),
      await open(urls()[1]!, 'converge', owner),
      await open(urls()[0]!, 'converge', editor),
      await open(urls()[1]!, 'converge', editor),
    ];
    const reader = await open(urls()[1]!, 'converge', viewer);
    expect(editors.map((c) => c.text.toString())).toEqual(Array(4).fill('The start.\n'));
    expect(reader.mayEdit).toBe(false);

    // Every editor makes 60 random edits at random places, all at the same time.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    await Promise.all(
      editors.map(async (c, i) => {
        for (let n = 0; n < 60; n++) {
          const text = c.text;
          if (random() < 0.7 || text.length < 5) {
            text.insert(Math.floor(random() * (text.length + 1)), `[${i}:${n}]`);
          } else {
            const at = Math.floor(random() * (text.length - 3));
            text.delete(at, 1 + Math.floor(random() * 3));
          }
          await new Promise((r) => setTimeout(r, random() * 15));
        }
      }),
    );
    await expect.poll(() => allSaved(editors), { timeout: 15_000 }).toBe(true);
    const texts = () => [...editors, reader].map((c) => c.text.toString());
    await expect.poll(() => new Set(texts()).size, { timeout: 15_000 }).toBe(1);
    const final = texts()[0]!;
    expect(final).not.toBe('The start.\n');
    await expect.poll(() => logRows('converge'), { timeout: 15_000 }).toBe(0);
    expect(await storedBody('converge')).toBe(final);
    // The note page (any replica) shows the compacted body.
    const page = await web[editor.username]!.get('/notes/edit?key=converge');
    expect(fieldValue(page.text, 'version')).not.toBe('1');
  }, 90_000);

  it('a viewer may not change the note; an unreadable note answers as if absent', async () => {
    await sharedNote('viewer-refused', 'Read only for vera.');
    const owned = await open(urls()[0]!, 'viewer-refused', owner);
    const reader = await open(urls()[1]!, 'viewer-refused', viewer);
    expect(reader.mayEdit).toBe(false);
    // A raw update as a modified page would send it: refused, stored nowhere, seen by nobody.
    const forged = new Y.Doc();
    forged.getText('body').insert(0, 'FORGED ');
    const answer = await sendRawUpdate(reader, Y.encodeStateAsUpdate(forged));
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Typing in a viewer's document is not sent (and so never reported as saved).
    reader.text.insert(0, 'local only ');
    await new Promise((r) => setTimeout(r, 1500));
    expect(owned.text.toString()).toBe('Read only for vera.');
    expect(await logRows('viewer-refused')).toBe(0);
    expect(await storedBody('viewer-refused')).toBe('Read only for vera.');

    const outsiderSocket = await openCollab(urls()[0]!, 'viewer-refused', {
      cookie: web[outsider.username]!.cookieHeader(),
    });
    clients.push(outsiderSocket);
    const missing = await openCollab(urls()[0]!, 'no-such-note', {
      cookie: web[outsider.username]!.cookieHeader(),
    });
    clients.push(missing);
    expect(outsiderSocket.state).toBe('unavailable');
    expect(missing.state).toBe('unavailable');
    expect(outsiderSocket.error).toBe(missing.error?.replace('no-such-note', 'viewer-refused'));
  }, 30_000);

  it('an oversize update is refused without harm: the document and the next edits go on', async () => {
    await sharedNote('oversize', 'small');
    const a = await open(urls()[0]!, 'oversize', owner);
    const b = await open(urls()[1]!, 'oversize', editor);
    const big = new Y.Doc();
    big.getText('body').insert(0, 'x'.repeat(COLLAB_UPDATE_MAX + 1000));
    const answer = await sendRawUpdate(a, Y.encodeStateAsUpdate(big));
    expect(answer).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(a.socket.connected).toBe(true);
    a.text.insert(5, ' and fine');
    await expect.poll(() => b.text.toString(), { timeout: 5000 }).toBe('small and fine');
    await expect.poll(() => storedBody('oversize'), { timeout: 10_000 }).toBe('small and fine');
  }, 30_000);

  it('a form save while others type is merged into the shared document, not written over it', async () => {
    await sharedNote('form-merge', 'line one\nline two\n');
    const typist = await open(urls()[1]!, 'form-merge', editor);
    const o = web[owner.username]!;
    const form = await o.get('/notes/edit?key=form-merge');
    typist.text.insert(0, 'TYPED ');
    await expect.poll(() => allSaved([typist]), { timeout: 5000 }).toBe(true);
    const saved = await o.saveNote(form.text, {
      docreate: 'update',
      notekey: 'form-merge',
      version: fieldValue(form.text, 'version')!,
      title: 'form-merge',
      body: 'line one\nline two\nline three from the form\n',
      visibility: 'private',
    });
    expect(saved.res.status).toBe(302);
    const merged = 'TYPED line one\nline two\nline three from the form\n';
    expect(await storedBody('form-merge')).toBe(merged);
    await expect.poll(() => typist.text.toString(), { timeout: 5000 }).toBe(merged);
    // A form opened before that save is stale now: refused, the typed text given back.
    const stale = await o.saveNote(form.text, {
      docreate: 'update',
      notekey: 'form-merge',
      version: fieldValue(form.text, 'version')!,
      title: 'form-merge',
      body: 'overwrite attempt',
      visibility: 'private',
    });
    expect(stale.res.status).toBe(409);
    expect(stale.text).toContain('overwrite attempt');
    expect(await storedBody('form-merge')).toBe(merged);
  }, 30_000);

  it('SIGKILL of a replica while clients type: nothing acknowledged is lost, clients move to the other replica and converge', async () => {
    await sharedNote('killed', '');
    // A layer-4 balancer in front of both replicas: new connections go to the first one alive.
    const targets = stack.notes.map((n) => Number(new URL(n.url).port));
    const balancer = await tcpBalancer(targets);
    const front = `http://127.0.0.1:${balancer.port}`;
    try {
      const typists = [
        await openCollab(front, 'killed', {
          cookie: web[owner.username]!.cookieHeader(),
          resyncMs: 1000,
          origin: front,
        }),
        await openCollab(front, 'killed', {
          cookie: web[editor.username]!.cookieHeader(),
          resyncMs: 1000,
          origin: front,
        }),
      ];
      clients.push(...typists);
      const watcher = await open(urls()[1]!, 'killed', viewer);
      const typed: string[][] = [[], []];
      const acknowledged = new Set<string>();
      let stop = false;
      const typing = typists.map(async (c, i) => {
        for (let n = 0; !stop; n++) {
          const token = `<${i}.${n}>`;
          c.text.insert(c.text.length, token);
          typed[i]!.push(token);
          await new Promise((r) => setTimeout(r, 20));
        }
      });
      await new Promise((r) => setTimeout(r, 1500));
      // Every update is its own message here (one insert each, acknowledged in order).
      typists.forEach((c, i) => {
        for (const t of typed[i]!.slice(0, c.acknowledged)) acknowledged.add(t);
      });
      stack.notes[0]!.child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 2500));
      stop = true;
      await Promise.all(typing);
      await expect.poll(() => allSaved(typists), { timeout: 20_000 }).toBe(true);
      const everyToken = [...typed[0]!, ...typed[1]!];
      expect(acknowledged.size).toBeGreaterThan(0);
      const all = [...typists, watcher];
      await expect.poll(() => new Set(all.map((c) => c.text.toString())).size, { timeout: 20_000 }).toBe(1);
      const final = watcher.text.toString();
      for (const token of acknowledged) expect(final).toContain(token);
      // The ones not yet acknowledged were kept by their clients and sent again: none lost either.
      for (const token of everyToken) expect(final).toContain(token);
      await expect.poll(() => storedBody('killed'), { timeout: 20_000 }).toBe(final);
    } finally {
      balancer.close();
    }
  }, 90_000);
});

/** Accepts TCP connections and pipes each to the first target port that accepts it. */
async function tcpBalancer(ports: number[]): Promise<{ port: number; close: () => void }> {
  const open = new Set<TcpSocket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pause();
    const tryTarget = (i: number) => {
      if (i >= ports.length) return client.destroy();
      const upstream = new TcpSocket();
      upstream.once('error', () => tryTarget(i + 1));
      upstream.connect(ports[i]!, '127.0.0.1', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryTarget(0);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => {
      for (const s of open) s.destroy();
      server.close();
    },
  };
}
