import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestNotesOn } from '../testing/dialects.js';
import type { TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { fieldValue, WebClient } from '../testing/web-client.js';

/**
 * Every saved change makes one revision, in the transaction of the change (DESIGN 4.8): the edit
 * form's saves, folding of one author's rapid saves, the bound, and a failed revision write that
 * takes the change with it. Read from the table itself, on both dialects.
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

interface Row {
  number: number;
  author: string;
  title: string;
  body: string;
  size: number;
}

describe.each(DIALECTS)('revisions (%s)', (dialect) => {
  let notes: TestNotes;
  let aliceWeb: WebClient;
  let bobWeb: WebClient;

  beforeAll(async () => {
    notes = await startTestNotesOn(dialect, 'notes_revisions', userauth, {
      NOTES_REVISION_KEEP: '4',
      NOTES_WRITE_LIMIT_BURST: '1000',
    });
    aliceWeb = new WebClient(notes.url);
    await aliceWeb.login(alice.username, alice.password);
    bobWeb = new WebClient(notes.url);
    await bobWeb.login(bob.username, bob.password);
  });

  afterAll(async () => {
    await notes?.close();
  });

  const revisions = (key: string) =>
    notes.db.query<Row>(
      'SELECT number, author, title, body, size FROM note_revisions WHERE noteKey = ? ORDER BY number',
      { replacements: [key], type: QueryTypes.SELECT },
    );

  async function add(key: string, body: string): Promise<void> {
    const { res } = await aliceWeb.addNote({ notekey: key, title: `Title ${key}`, body });
    expect(res.status).toBe(302);
  }

  async function edit(client: WebClient, key: string, body: string, extra: Record<string, string> = {}) {
    const form = await client.get(`/notes/edit?key=${key}`);
    return client.saveNote(form.text, {
      docreate: 'update',
      notekey: key,
      version: fieldValue(form.text, 'version')!,
      title: fieldValue(form.text, 'title')!,
      body,
      ...extra,
    });
  }

  async function shareWithBob(key: string): Promise<void> {
    const { res } = await aliceWeb.submit(`/notes/share?key=${key}`, '/notes/share', {
      key,
      username: 'bob',
      role: 'editor',
    });
    expect(res.status).toBe(302);
  }

  /** Moves the newest revision's first save back in time, as if `seconds` had passed. */
  async function age(key: string, seconds: number): Promise<void> {
    const [latest] = await revisions(key).then((rows) => rows.slice(-1));
    const then = new Date(Date.now() - seconds * 1000);
    await notes.db.query('UPDATE note_revisions SET createdAt = ? WHERE noteKey = ? AND number = ?', {
      replacements: [then, key, latest!.number],
    });
  }

  it('creating a note makes revision 1 by its owner with its title, body and size', async () => {
    await add('rev-create', 'héllo wörld 😀');
    expect(await revisions('rev-create')).toEqual([
      { number: 1, author: 'alice', title: 'Title rev-create', body: 'héllo wörld 😀', size: 13 },
    ]);
  });

  it('rapid saves by one author fold into one revision; another author or a later save adds one', async () => {
    await add('rev-fold', 'one');
    await shareWithBob('rev-fold');
    expect((await edit(aliceWeb, 'rev-fold', 'one two')).res.status).toBe(302);
    expect((await edit(aliceWeb, 'rev-fold', 'one two three')).res.status).toBe(302);
    expect((await revisions('rev-fold')).map((r) => [r.number, r.author, r.body])).toEqual([
      [1, 'alice', 'one two three'],
    ]);

    expect((await edit(bobWeb, 'rev-fold', 'bob was here')).res.status).toBe(302);
    await age('rev-fold', 301);
    expect((await edit(bobWeb, 'rev-fold', 'bob, five minutes later')).res.status).toBe(302);
    expect((await edit(bobWeb, 'rev-fold', 'bob, five minutes later, again')).res.status).toBe(302);
    expect((await revisions('rev-fold')).map((r) => [r.number, r.author, r.body])).toEqual([
      [1, 'alice', 'one two three'],
      [2, 'bob', 'bob was here'],
      [3, 'bob', 'bob, five minutes later, again'],
    ]);
  });

  it('a save that changes only the visibility makes no revision', async () => {
    await add('rev-visibility', 'same text');
    expect((await edit(aliceWeb, 'rev-visibility', 'same text', { visibility: 'private' })).res.status).toBe(
      302,
    );
    expect((await revisions('rev-visibility')).map((r) => r.number)).toEqual([1]);
  });

  it('keeps at most NOTES_REVISION_KEEP: the oldest after the first go, the first and the newest stay', async () => {
    await add('rev-bound', 'v1');
    await shareWithBob('rev-bound');
    for (let i = 2; i <= 7; i++) {
      const res = await edit(i % 2 === 0 ? bobWeb : aliceWeb, 'rev-bound', `v${i}`);
      expect(res.res.status).toBe(302);
    }
    expect((await revisions('rev-bound')).map((r) => [r.number, r.body])).toEqual([
      [1, 'v1'],
      [5, 'v5'],
      [6, 'v6'],
      [7, 'v7'],
    ]);
  });

  it('a change whose revision cannot be written is not saved either (one transaction)', async () => {
    await add('rev-atomic', 'before');
    await notes.db.query('DROP TABLE note_revisions');
    const res = await edit(aliceWeb, 'rev-atomic', 'after');
    expect(res.res.status).toBeGreaterThanOrEqual(500);
    const [row] = await notes.db.query<{ body: string; version: number }>(
      'SELECT body, version FROM notes WHERE `key` = ?',
      { replacements: ['rev-atomic'], type: QueryTypes.SELECT },
    );
    expect(row).toEqual({ body: 'before', version: 1 });
  });
});
