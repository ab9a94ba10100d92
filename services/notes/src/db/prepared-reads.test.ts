import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDatabaseUnavailable, migrateUp, openDatabase } from '@notes/kit';
import { createTestDatabase, type TestDatabase } from '@notes/testkit/vitest';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommentRepository } from '../comments/comment-repository.js';
import { type Grant, mayRead, VISIBILITIES, type Visitor } from '../notes/note-policy.js';
import { LIST_FILTERS, type ListFilter } from '../notes/note-readable.js';
import { NoteRepository } from '../notes/note-repository.js';
import { migrations } from './migrations.js';
import { type PreparedReads, preparedReads } from './prepared-reads.js';

/**
 * The reads of the hot pages (list, note, comments) as prepared statements, on both dialects:
 * exactly the notes the policy lets each visitor read (mayRead, note-policy.ts, computed here over
 * every note) in order, one statement per page, plain rows with real dates, grants with the note.
 */

const USERS = ['ann', 'bob', 'cy'];
const VISITORS: Visitor[] = [undefined, ...USERS.map((username) => ({ username }))];

interface Made {
  key: string;
  owner: string;
  visibility: (typeof VISIBILITIES)[number];
  grants: Grant[];
  createdAt: Date;
}

interface Setup {
  db: Sequelize;
  prepared: PreparedReads;
  notes: NoteRepository;
  comments: CommentRepository;
  statements: string[];
  made: Made[];
}

let mysql: TestDatabase;
let dir: string;
const setups: Record<string, Setup> = {};

async function setUp(url: string): Promise<Setup> {
  const statements: string[] = [];
  const db = openDatabase({ url, logging: (sql) => statements.push(sql) });
  await migrateUp(db, migrations);
  const prepared = preparedReads(db);
  const notes = new NoteRepository(db, prepared.read);
  const comments = new CommentRepository(db, prepared.read);
  const made: Made[] = [];
  // 18 notes: every owner × visibility twice, some shared; created in order, newest last.
  for (let i = 0; i < 18; i++) {
    const owner = USERS[i % 3]!;
    const visibility = VISIBILITIES[Math.floor(i / 3) % 3]!;
    const note = await notes.create({
      key: `n${i}`,
      title: `Note ${i}`,
      body: `body ${i}`,
      owner,
      visibility,
      formTags: i === 8 ? ['zeta'] : [],
    });
    if (!note) throw new Error('not created');
    const grants: Grant[] = [];
    if (i % 4 === 0) {
      // Shared with the two others, granted in reverse name order (the read sorts them).
      for (const username of USERS.filter((u) => u !== owner).reverse()) {
        const role = username === 'cy' ? 'editor' : 'viewer';
        await notes.grant(note.key, username, role);
        grants.unshift({ username, role });
      }
    }
    made.push({ key: note.key, owner, visibility, grants, createdAt: note.createdAt });
    // Distinct creation times on every dialect (millisecond precision).
    await new Promise((r) => setTimeout(r, 3));
  }
  for (let c = 0; c < 7; c++)
    await comments.create({ noteKey: 'n17', author: USERS[c % 3]!, message: `c${c}` });
  return { db, prepared, notes, comments, statements, made };
}

beforeAll(async () => {
  mysql = await createTestDatabase('notes_prepared_reads');
  dir = mkdtempSync(join(tmpdir(), 'notes-prepared-'));
  setups.mariadb = await setUp(mysql.url);
  setups.sqlite = await setUp(`sqlite:${join(dir, 'notes.sqlite')}`);
});

afterAll(async () => {
  for (const s of Object.values(setups)) {
    await s.prepared.close();
    await s.db.close();
  }
  await mysql?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What the list must show: the policy's answer over every note, filtered, newest first. */
function expectedKeys(made: Made[], visitor: Visitor, filter: ListFilter): string[] {
  return made
    .filter((n) => mayRead(visitor, n))
    .filter((n) => filter !== 'mine' || n.owner === visitor?.username)
    .filter(
      (n) =>
        filter !== 'shared' ||
        (n.owner !== visitor?.username && n.grants.some((g) => g.username === visitor?.username)),
    )
    .reverse()
    .map((n) => n.key);
}

describe.each(['mariadb', 'sqlite'])('prepared reads on %s', (dialect) => {
  const s = () => setups[dialect]!;

  it('list exactly what the policy lets each visitor read, newest first, one statement per page', async () => {
    const filters = (v: Visitor) => (v ? LIST_FILTERS : (['all'] as const));
    for (const visitor of VISITORS) {
      for (const filter of filters(visitor)) {
        const want = expectedKeys(s().made, visitor, filter);
        const got: string[] = [];
        for (let offset = 0; offset <= want.length; offset += 4) {
          s().statements.length = 0;
          const page = await s().notes.page(visitor, filter, offset, 4);
          expect(s().statements).toHaveLength(1);
          expect(page.hasNext).toBe(offset + 4 < want.length);
          // Below the count's cap (listCountCap) the total is exact.
          if (page.notes.length > 0) expect([page.total, page.totalExact]).toEqual([want.length, true]);
          for (const n of page.notes) {
            expect(n.createdAt).toBeInstanceOf(Date);
            expect(n.createdAt.getTime()).toBe(
              s()
                .made.find((m) => m.key === n.key)!
                .createdAt.getTime(),
            );
          }
          got.push(...page.notes.map((n) => n.key));
        }
        expect({ visitor: visitor?.username, filter, keys: got }).toEqual({
          visitor: visitor?.username,
          filter,
          keys: want,
        });
      }
    }
  });

  it('read a note with its grants (sorted by name) in one statement, and null for an unknown key', async () => {
    s().statements.length = 0;
    const note = await s().notes.find('n8');
    expect(s().statements).toHaveLength(1);
    expect(note).toEqual({
      key: 'n8',
      title: 'Note 8',
      body: 'body 8',
      owner: 'cy',
      visibility: 'public',
      grants: [
        { username: 'ann', role: 'viewer' },
        { username: 'bob', role: 'viewer' },
      ],
      version: 1,
      createdAt: s().made[8]!.createdAt,
      updatedAt: expect.any(Date),
      formTags: ['zeta'],
      tags: expect.arrayContaining(['zeta']),
    });
    // The same note as the ORM reads it (inside a transaction the repository uses Sequelize).
    expect(await s().notes.inTransaction((tx) => s().notes.find('n8', tx))).toEqual(note);
    expect((await s().notes.find('n1'))?.grants).toEqual([]);
    expect(await s().notes.find('nope')).toBeNull();
    expect(await s().notes.grantsOf('n8')).toEqual(note?.grants);
  });

  it('read the newest comments of a note, then older ones, as plain objects with dates', async () => {
    const first = await s().comments.newest('n17', 3);
    expect(first.comments.map((c) => c.message)).toEqual(['c6', 'c5', 'c4']);
    expect(first.more).toBe(true);
    const c = first.comments[0]!;
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(c).toEqual({
      id: expect.any(Number),
      noteKey: 'n17',
      author: 'ann',
      message: 'c6',
      createdAt: expect.any(Date),
      editedAt: null,
    });
    const older = await s().comments.newest('n17', 10, first.comments.at(-1)!.id);
    expect(older.comments.map((x) => x.message)).toEqual(['c3', 'c2', 'c1', 'c0']);
    expect(older.more).toBe(false);
  });
});

describe('prepared reads on MariaDB when the database cannot be reached', () => {
  it('fail with an error that answers 503 (isDatabaseUnavailable), not a 500', async () => {
    const url = new URL(mysql.url);
    url.port = '1';
    const db = openDatabase({ url: url.toString() });
    const prepared = preparedReads(db);
    try {
      const failure = await prepared.read('SELECT 1', []).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(failure)).toBe(true);
    } finally {
      await prepared.close();
      await db.close();
    }
  });
});
