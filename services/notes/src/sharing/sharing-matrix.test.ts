import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@notes/testkit';
import { createTestDatabase, redisUrl, type TestDatabase } from '@notes/testkit/vitest';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotes, type TestNotes, withoutTagCloud } from '../testing/notes-in-process.js';
import { connectSocket, emitAck, nextEvent } from '../testing/sockets.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { csrfFrom, listedKeys, WebClient } from '../testing/web-client.js';

/**
 * Who may do what with a note, measured at every door against ONE expected table written out by
 * hand (never derived from the policy, so that a missing or wrong check fails): {owner, editor,
 * viewer, other user, anonymous, link holder} × {private, team, public} × pages, the body route,
 * the list and its filters, sharing, links, comment requests, socket joins and every live event,
 * on the replica that made the change (A) and on another one (B: its own Socket.IO server,
 * sharing MariaDB and Redis). The measured matrix goes to test-results/sharing-matrix.md.
 */

const VIS = ['private', 'team', 'public'] as const;
type Vis = (typeof VIS)[number];
const ACTORS = ['owner', 'editor', 'viewer', 'other', 'anonymous', 'link'] as const;
type Actor = (typeof ACTORS)[number];
type Row = [string, string, string]; // private, team, public

const same = (v: string): Row => [v, v, v];
const readers = (yes: string, no: string): Record<Actor, Row> => ({
  owner: same(yes),
  editor: same(yes),
  viewer: same(yes),
  other: [no, yes, yes],
  anonymous: [no, no, yes],
  link: [no, no, yes],
});
/** A door only the owner passes: readers are refused (403), others do not see the note (404). */
const ownerOnly = (ok: string, anonymous: string): Record<Actor, Row> => ({
  owner: same(ok),
  editor: same('403'),
  viewer: same('403'),
  other: ['404', '403', '403'],
  anonymous: same(anonymous),
  link: same(anonymous),
});
const NA = same('n/a');

// The expected table. HTTP doors: status codes; list doors: listed or -; socket requests: the ack
// (ok or the error code); live events: the events each socket received, in order (C notecreated,
// U noteupdated, D notedestroyed on /home; U noteupdated, M newmessage, X destroymessage,
// D notedestroyed in the note's room), or - for none at all.
const EXPECTED: Record<string, Record<Actor, Row>> = {
  'GET /notes/view': readers('200', '404'),
  'GET /notes/body': readers('200', '404'),
  'GET /notes/edit': {
    owner: same('200'),
    editor: same('200'),
    viewer: same('403'),
    other: ['404', '403', '403'],
    anonymous: same('302'),
    link: same('302'),
  },
  'POST /notes/save': {
    owner: same('302'),
    editor: same('302'),
    viewer: same('403'),
    other: ['404', '403', '403'],
    anonymous: same('401'),
    link: same('401'),
  },
  'GET /notes/history': readers('200', '404'),
  'GET /notes/revision': readers('200', '404'),
  'POST /notes/restore': {
    owner: same('302'),
    editor: same('302'),
    viewer: same('403'),
    other: ['404', '403', '403'],
    anonymous: same('401'),
    link: same('401'),
  },
  'GET /notes/destroy': ownerOnly('200', '302'),
  'GET /notes/share': ownerOnly('200', '302'),
  'POST /notes/share': ownerOnly('302', '401'),
  'POST /notes/unshare': ownerOnly('302', '401'),
  'POST /notes/links': ownerOnly('200', '401'),
  'GET / (all)': readers('listed', '-'),
  'GET /?filter=mine': {
    owner: same('listed'),
    editor: same('-'),
    viewer: same('-'),
    other: same('-'),
    anonymous: same('302'),
    link: same('302'),
  },
  'GET /?filter=shared': {
    owner: same('-'),
    editor: same('listed'),
    viewer: same('listed'),
    other: same('-'),
    anonymous: same('302'),
    link: same('302'),
  },
  'socket create-message': {
    owner: same('ok'),
    editor: same('ok'),
    viewer: same('ok'),
    other: ['not_found', 'ok', 'ok'],
    anonymous: same('unauthorized'),
    link: same('unauthorized'),
  },
  "socket delete-message (the owner's comment)": {
    owner: same('ok'),
    editor: same('forbidden'),
    viewer: same('forbidden'),
    other: ['not_found', 'forbidden', 'forbidden'],
    anonymous: same('unauthorized'),
    link: same('unauthorized'),
  },
  'socket older-messages': readers('ok', 'not_found'),
  'GET /s/<token>': { ...Object.fromEntries(ACTORS.map((a) => [a, NA])), link: same('200') } as Record<
    Actor,
    Row
  >,
  'GET /s/<token> after POST /notes/links/revoke': {
    ...Object.fromEntries(ACTORS.map((a) => [a, NA])),
    link: same('404'),
  } as Record<Actor, Row>,
  'POST /notes/destroy/confirm': ownerOnly('302', '401'),
  'socket join on A': readers('ok', 'not_found'),
  'socket join on B': readers('ok', 'not_found'),
  // Editors and viewers are given their grant after the note was created: no notecreated for them.
  'live /home on A': {
    owner: same('CUD'),
    editor: ['UD', 'CUD', 'CUD'],
    viewer: ['UD', 'CUD', 'CUD'],
    other: ['-', 'CUD', 'CUD'],
    anonymous: ['-', '-', 'CUD'],
    link: ['-', '-', 'CUD'],
  },
  'live /home on B': {
    owner: same('CUD'),
    editor: ['UD', 'CUD', 'CUD'],
    viewer: ['UD', 'CUD', 'CUD'],
    other: ['-', 'CUD', 'CUD'],
    anonymous: ['-', '-', 'CUD'],
    link: ['-', '-', 'CUD'],
  },
  'live note room on A': readers('UMXD', '-'),
  'live note room on B': readers('UMXD', '-'),
};

const USERS: Record<'owner' | 'editor' | 'viewer' | 'other', { username: string; password: string }> = {
  owner: { username: 'olga', password: 'olga-password-1' },
  editor: { username: 'eddie', password: 'eddie-password-1' },
  viewer: { username: 'vera', password: 'vera-password-1' },
  other: { username: 'sam', password: 'sam-password-1' },
};
const TESS = { username: 'tess', password: 'tess-password-1' };

let userauth: RunningUserauth;
let db: TestDatabase;
let replicaA: TestNotes;
let replicaB: TestNotes;
const sockets: Socket[] = [];
const measured: Record<string, Record<Actor, Row>> = {};
const listQueries: Record<string, number[]> = {};

function record(door: string, actor: Actor, vis: Vis, outcome: string): void {
  measured[door] ??= Object.fromEntries(ACTORS.map((a) => [a, ['n/a', 'n/a', 'n/a']])) as Record<Actor, Row>;
  measured[door][actor][VIS.indexOf(vis)] = outcome;
}

beforeAll(async () => {
  userauth = await startUserauth([...Object.values(USERS), TESS]);
  db = await createTestDatabase('notes_sharing');
  const env = {
    NOTES_DB_URL: db.url,
    NOTES_REDIS_URL: redisUrl(),
    NOTES_REDIS_PREFIX: `share${randomBytes(4).toString('hex')}`,
    NOTES_SESSION_SECRET: randomBytes(32).toString('hex'),
    NOTES_MIGRATE_ON_START: 'true',
    // The matrix writes faster than a person (limits/write-limits.test.ts tests the limits).
    NOTES_WRITE_LIMIT_BURST: '1000',
    USERAUTH_URL: userauth.url,
    USERAUTH_API_KEY: userauth.apiKey,
  };
  replicaA = await startTestNotes(env);
  replicaB = await startTestNotes(env);
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await replicaA?.close();
  await replicaB?.close();
  await db?.drop();
  await userauth?.stop();
});

async function clientFor(actor: Actor, base = replicaA.url): Promise<WebClient> {
  const client = new WebClient(base);
  if (actor in USERS) {
    const user = USERS[actor as keyof typeof USERS];
    await client.login(user.username, user.password);
  }
  return client;
}

/** A form token of the client's session (anonymous visitors get one from the login form). */
async function csrf(client: WebClient, actor: Actor): Promise<string> {
  if (actor === 'anonymous' || actor === 'link')
    return csrfFrom((await client.get('/users/login')).text, '/users/login');
  return csrfFrom((await client.get('/notes/add')).text, '/notes/save');
}

async function socketOn(base: string, ns: '/home' | '/notes', client: WebClient): Promise<Socket> {
  const cookie = client.cookieHeader();
  const s = await connectSocket(base, ns, cookie ? { cookie } : {});
  sockets.push(s);
  return s;
}

async function version(key: string): Promise<string> {
  const [rows] = await replicaA.db.query('SELECT version FROM notes WHERE `key` = ?', {
    replacements: [key],
  });
  return String((rows as Array<{ version: number }>)[0]!.version);
}

const ack = (a: { ok: boolean; error?: { code: string } }) => (a.ok ? 'ok' : (a.error?.code ?? '?'));

async function makeNote(owner: WebClient, key: string, visibility: Vis): Promise<void> {
  const { res } = await owner.submit('/notes/add', '/notes/save', {
    docreate: 'create',
    notekey: key,
    title: `Title of ${key}`,
    body: `Body of ${key}`,
    visibility,
  });
  expect(res.status).toBe(302);
}

async function share(owner: WebClient, key: string, username: string, role: string): Promise<number> {
  const page = await owner.get(`/notes/share?key=${key}`);
  const { res } = await owner.post('/notes/share', {
    _csrf: csrfFrom(page.text, '/notes/share'),
    key,
    username,
    role,
  });
  return res.status;
}

function writeMatrix(): void {
  const lines = [
    '# Sharing matrix (as measured by services/notes/src/sharing/sharing-matrix.test.ts)',
    '',
    'Each cell: private / team / public. HTTP doors give the status (404 = the note is not revealed),',
    'list doors whether the note is listed, socket requests the acknowledgement, live doors the events',
    'received (C notecreated, U noteupdated, D notedestroyed, M newmessage, X destroymessage; - none).',
    'A is the replica where the change was made, B another replica sharing MariaDB and Redis.',
    '',
    `| door | ${ACTORS.join(' | ')} |`,
    `|---|${ACTORS.map(() => '---').join('|')}|`,
  ];
  for (const [door, row] of Object.entries(measured))
    lines.push(`| ${door} | ${ACTORS.map((a) => row[a].join(' / ')).join(' | ')} |`);
  lines.push('', 'SQL queries per home page request (GET /, GET /?filter=mine|shared), per actor:', '');
  for (const [who, counts] of Object.entries(listQueries)) lines.push(`- ${who}: ${counts.join(', ')}`);
  const dir = resolve(REPO_ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'sharing-matrix.md'), `${lines.join('\n')}\n`);
}

describe('the sharing matrix', () => {
  it('pages, list, sharing, links and comment requests: exactly the allowed set', async () => {
    const clients = Object.fromEntries(
      await Promise.all(ACTORS.map(async (a) => [a, await clientFor(a)] as const)),
    ) as Record<Actor, WebClient>;
    const owner = clients.owner;
    const ownerSocket = await socketOn(replicaA.url, '/notes', owner);
    const actorSockets = Object.fromEntries(
      await Promise.all(
        ACTORS.map(async (a) => [a, await socketOn(replicaA.url, '/notes', clients[a])] as const),
      ),
    ) as Record<Actor, Socket>;

    for (const vis of VIS) {
      const key = `matrix-${vis}`;
      await makeNote(owner, key, vis);
      expect(await share(owner, key, USERS.editor.username, 'editor')).toBe(302);
      expect(await share(owner, key, USERS.viewer.username, 'viewer')).toBe(302);
      const made = await owner.submit(`/notes/share?key=${key}`, '/notes/links', { key });
      const token = /<code class="share-link">\/s\/([A-Za-z0-9_-]+)<\/code>/.exec(made.text)?.[1];
      expect(token).toHaveLength(43);

      for (const actor of ACTORS) {
        const c = clients[actor];
        const s = actorSockets[actor];
        for (const path of [
          '/notes/view',
          '/notes/body',
          '/notes/edit',
          '/notes/destroy',
          '/notes/share',
          '/notes/history',
        ])
          record(`GET ${path}`, actor, vis, String((await c.get(`${path}?key=${key}`)).res.status));
        const revision = await c.get(`/notes/revision?key=${key}&rev=1`);
        record('GET /notes/revision', actor, vis, String(revision.res.status));

        const token_ = await csrf(c, actor);
        const saved = await c.post('/notes/save', {
          _csrf: token_,
          docreate: 'update',
          notekey: key,
          version: await version(key),
          title: `Title of ${key}`,
          body: `Body of ${key} (saved by ${actor})`,
        });
        record('POST /notes/save', actor, vis, String(saved.res.status));
        const restored = await c.post('/notes/restore', { _csrf: token_, key, rev: '1' });
        record('POST /notes/restore', actor, vis, String(restored.res.status));
        const shared = await c.post('/notes/share', {
          _csrf: token_,
          key,
          username: TESS.username,
          role: 'viewer',
        });
        record('POST /notes/share', actor, vis, String(shared.res.status));
        const unshared = await c.post('/notes/unshare', { _csrf: token_, key, username: TESS.username });
        record('POST /notes/unshare', actor, vis, String(unshared.res.status));
        if (actor === 'owner') await share(owner, key, TESS.username, 'viewer'); // for the others' unshare
        const linked = await c.post('/notes/links', { _csrf: token_, key });
        record('POST /notes/links', actor, vis, String(linked.res.status));

        for (const [door, path] of [
          ['GET / (all)', '/'],
          ['GET /?filter=mine', '/?filter=mine'],
          ['GET /?filter=shared', '/?filter=shared'],
        ] as const) {
          replicaA.queries.length = 0;
          const list = await c.get(path);
          const queries = withoutTagCloud(replicaA.queries).length;
          if (list.res.status !== 200) record(door, actor, vis, String(list.res.status));
          else {
            record(door, actor, vis, listedKeys(list.text).includes(key) ? 'listed' : '-');
            const counts = listQueries[`${actor} ${path}`] ?? [];
            counts.push(queries);
            listQueries[`${actor} ${path}`] = counts;
          }
        }

        const created = await emitAck(s, 'create-message', { key, message: `from ${actor}` });
        record('socket create-message', actor, vis, ack(created));
        const byOwner = await emitAck(ownerSocket, 'create-message', { key, message: 'by the owner' });
        const id = (byOwner.message as { id: number }).id;
        record(
          "socket delete-message (the owner's comment)",
          actor,
          vis,
          ack(await emitAck(s, 'delete-message', { id })),
        );
        record(
          'socket older-messages',
          actor,
          vis,
          ack(await emitAck(s, 'older-messages', { key, before: id + 1000 })),
        );

        if (actor === 'link') {
          const page = await c.get(`/s/${token}`);
          record('GET /s/<token>', actor, vis, String(page.res.status));
          expect(page.text).toContain(`Title of ${key}`);
          expect(page.text).toContain('<meta name="robots" content="noindex">');
          expect(page.res.headers.get('x-robots-tag')).toMatch(/noindex/);
          expect(page.res.headers.get('set-cookie')).toBeNull();
          // Nothing on the page leads to another note or the list.
          expect(page.text).not.toMatch(/href="\/(\?|"|notes\/)/);
        }
      }

      // Revoking ends the links (the owner's); then the non-owners try to delete, the owner last.
      const revoke = await owner.submit(`/notes/share?key=${key}`, '/notes/links/revoke', { key });
      expect(revoke.res.status).toBe(302);
      record(
        'GET /s/<token> after POST /notes/links/revoke',
        'link',
        vis,
        String((await clients.link.get(`/s/${token}`)).res.status),
      );
      for (const actor of [...ACTORS.filter((a) => a !== 'owner'), 'owner' as const]) {
        const c = clients[actor];
        const done = await c.post('/notes/destroy/confirm', { _csrf: await csrf(c, actor), notekey: key });
        record('POST /notes/destroy/confirm', actor, vis, String(done.res.status));
      }
    }
    writeMatrix();
    for (const door of Object.keys(measured))
      expect({ door, ...measured[door] }).toEqual({ door, ...EXPECTED[door] });
    // The list is one query per page for everyone, whatever the filter.
    for (const [who, counts] of Object.entries(listQueries))
      expect({ who, counts }).toEqual({ who, counts: [1, 1, 1] });
  }, 120_000);

  it('live events and joins, on the replica of the change and on another: exactly the allowed set', async () => {
    const clients = Object.fromEntries(
      await Promise.all(ACTORS.map(async (a) => [a, await clientFor(a)] as const)),
    ) as Record<Actor, WebClient>;
    const owner = clients.owner;
    const replicas = { A: replicaA, B: replicaB } as const;
    type Seen = string[];
    const homeSeen: Record<string, Seen> = {};
    const homeSockets: Array<{ socket: Socket; name: string }> = [];
    const tag = (key: string) => key.replace(/^live-/, '').split('-')[0]!;

    // Every actor has a /home socket on both replicas before anything is created.
    for (const [r, replica] of Object.entries(replicas))
      for (const actor of ACTORS) {
        const socket = await socketOn(replica.url, '/home', clients[actor]);
        const name = `${actor}@${r}`;
        homeSeen[name] = [];
        homeSockets.push({ socket, name });
        const letter = {
          notecreated: 'C',
          noteupdated: 'U',
          notedestroyed: 'D',
          noteunavailable: 'L',
        } as const;
        for (const [event, l] of Object.entries(letter))
          socket.on(event, (p: { key?: string } | string) => {
            const key = typeof p === 'string' ? p : p.key;
            if (typeof key === 'string' && key.startsWith('live-')) homeSeen[name]!.push(`${tag(key)}:${l}`);
          });
      }

    const roomSeen: Record<string, Seen> = {};
    const roomSockets: Socket[] = [];
    for (const vis of VIS) {
      const key = `live-${vis}`;
      await makeNote(owner, key, vis);
      expect(await share(owner, key, USERS.editor.username, 'editor')).toBe(302);
      expect(await share(owner, key, USERS.viewer.username, 'viewer')).toBe(302);
      for (const [r, replica] of Object.entries(replicas))
        for (const actor of ACTORS) {
          const socket = await socketOn(replica.url, '/notes', clients[actor]);
          roomSockets.push(socket);
          const name = `${actor}@${r}:${vis}`;
          roomSeen[name] = [];
          const letter = {
            noteupdated: 'U',
            newmessage: 'M',
            destroymessage: 'X',
            notedestroyed: 'D',
            noteunavailable: 'L',
          } as const;
          for (const [event, l] of Object.entries(letter)) socket.on(event, () => roomSeen[name]!.push(l));
          record(`socket join on ${r}`, actor, vis, ack(await emitAck(socket, 'join', { key })));
        }
      const ownerSocket = await socketOn(replicaA.url, '/notes', owner);
      await emitAck(ownerSocket, 'join', { key });
      const form = await owner.get(`/notes/edit?key=${key}`);
      const saved = await owner.saveNote(form.text, {
        docreate: 'update',
        notekey: key,
        version: await version(key),
        title: `Live ${vis} (edited)`,
        body: 'edited',
        visibility: vis,
      });
      expect(saved.res.status).toBe(302);
      const made = await emitAck(ownerSocket, 'create-message', { key, message: 'live comment' });
      expect(made.ok).toBe(true);
      const gone = await emitAck(ownerSocket, 'delete-message', { id: (made.message as { id: number }).id });
      expect(gone.ok).toBe(true);
      const confirm = await owner.get(`/notes/destroy?key=${key}`);
      const destroyed = await owner.post('/notes/destroy/confirm', {
        _csrf: csrfFrom(confirm.text, '/notes/destroy/confirm'),
        notekey: key,
      });
      expect(destroyed.res.status).toBe(302);
    }

    // Barrier: a public note's notecreated reaches every /home socket on both replicas after every
    // earlier delivery (one ordered channel per replica); an ack round trip on each note socket
    // then proves that every packet written to it before has arrived.
    const sentinel = `sentinel-${randomBytes(3).toString('hex')}`;
    const arrived = homeSockets.map(({ socket }) =>
      nextEvent<{ key: string }>(socket, 'notecreated', (n) => n.key === sentinel),
    );
    await makeNote(owner, sentinel, 'public');
    await Promise.all(arrived);
    for (const s of roomSockets) await emitAck(s, 'join', 'ping');

    for (const [name, seen] of Object.entries(homeSeen)) {
      const [actor, r] = name.split('@') as [Actor, string];
      for (const vis of VIS) {
        const mine = seen.filter((e) => e.startsWith(`${vis}:`)).map((e) => e.split(':')[1]);
        record(`live /home on ${r}`, actor, vis, mine.join('') || '-');
      }
    }
    for (const [name, seen] of Object.entries(roomSeen)) {
      const [who, vis] = name.split(':') as [string, Vis];
      const [actor, r] = who.split('@') as [Actor, string];
      record(`live note room on ${r}`, actor, vis, seen.join('') || '-');
    }
    writeMatrix();
    for (const door of Object.keys(measured).filter(
      (d) => d.startsWith('live') || d.startsWith('socket join'),
    ))
      expect({ door, ...measured[door] }).toEqual({ door, ...EXPECTED[door] });
  }, 120_000);

  it('a change of visibility or a removed grant takes effect at once, on both replicas', async () => {
    const owner = await clientFor('owner');
    const sam = await clientFor('other');
    const vera = await clientFor('viewer');
    const key = 'turning-private';
    await makeNote(owner, key, 'team');
    expect(await share(owner, key, USERS.viewer.username, 'viewer')).toBe(302);

    const on = async (client: WebClient, base: string) => {
      const room = await socketOn(base, '/notes', client);
      expect(await emitAck(room, 'join', { key })).toMatchObject({ ok: true });
      const home = await socketOn(base, '/home', client);
      const seen: string[] = [];
      for (const event of ['noteupdated', 'noteunavailable', 'notedestroyed', 'newmessage'])
        room.on(event, () => seen.push(`room:${event}`));
      for (const event of ['noteupdated', 'noteunavailable'])
        home.on(event, (p: unknown) => {
          if (p === key || (p as { key?: string }).key === key) seen.push(`home:${event}`);
        });
      return { room, home, seen };
    };
    const samA = await on(sam, replicaA.url);
    const samB = await on(sam, replicaB.url);
    const veraB = await on(vera, replicaB.url);

    async function save(title: string, visibility: Vis) {
      const form = await owner.get(`/notes/edit?key=${key}`);
      const { res } = await owner.saveNote(form.text, {
        docreate: 'update',
        notekey: key,
        version: await version(key),
        title,
        body: title,
        visibility,
      });
      expect(res.status).toBe(302);
    }
    async function settle() {
      // The barrier of the test above: a public note's notecreated, then an ack round trip.
      const sentinel = `sentinel-${randomBytes(3).toString('hex')}`;
      const all = [samA, samB, veraB];
      const arrived = all.map((s) =>
        nextEvent<{ key: string }>(s.home, 'notecreated', (n) => n.key === sentinel),
      );
      await makeNote(owner, sentinel, 'public');
      await Promise.all(arrived);
      for (const s of all) await emitAck(s.room, 'join', 'ping');
    }

    // team → private: sam (no grant) is told on both replicas and hears nothing more; vera reads on.
    await save('Now private', 'private');
    await settle();
    for (const s of [samA, samB]) expect(s.seen).toEqual(['home:noteunavailable', 'room:noteunavailable']);
    expect(veraB.seen).toEqual(['home:noteupdated', 'room:noteupdated']);
    await save('Private and secret title', 'private');
    expect(await emitAck(samA.room, 'join', { key })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const ownerRoom = await socketOn(replicaA.url, '/notes', owner);
    const comment = await emitAck(ownerRoom, 'create-message', { key, message: 'secret comment' });
    expect(comment.ok).toBe(true);
    await settle();
    for (const s of [samA, samB]) expect(s.seen).toEqual(['home:noteunavailable', 'room:noteunavailable']);
    expect((await sam.get(`/notes/view?key=${key}`)).res.status).toBe(404);

    // Removing vera's grant: she is told at once (replica B), then hears nothing more.
    const page = await owner.get(`/notes/share?key=${key}`);
    const removed = await owner.post('/notes/unshare', {
      _csrf: csrfFrom(page.text, '/notes/unshare'),
      key,
      username: USERS.viewer.username,
    });
    expect(removed.res.status).toBe(302);
    await settle();
    expect(veraB.seen.slice(2)).toEqual([
      'home:noteupdated',
      'room:noteupdated',
      'room:newmessage',
      'home:noteunavailable',
      'room:noteunavailable',
    ]);
    await save('After vera', 'private');
    await settle();
    expect(veraB.seen).toHaveLength(7);
    expect((await vera.get(`/notes/view?key=${key}`)).res.status).toBe(404);

    // Unknown user names get a clear message on the share page, with what was typed kept.
    const form = await owner.get(`/notes/share?key=${key}`);
    const unknown = await owner.post('/notes/share', {
      _csrf: csrfFrom(form.text, '/notes/share'),
      key,
      username: 'nobody-here',
      role: 'viewer',
    });
    expect(unknown.res.status).toBe(400);
    expect(unknown.text).toContain('username: there is no user named &quot;nobody-here&quot;');
    expect(unknown.text).toContain('value="nobody-here"');
    const badRole = await owner.post('/notes/share', {
      _csrf: csrfFrom(form.text, '/notes/share'),
      key,
      username: USERS.other.username,
      role: 'admin',
    });
    expect(badRole.res.status).toBe(400);
    expect(badRole.text).toMatch(/role: must be one of viewer, editor/);
  }, 120_000);
});
