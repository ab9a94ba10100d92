import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateUp, openDatabase } from '@notes/kit';
import { createTestDatabase, type TestDatabase } from '@notes/testkit/vitest';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../db/migrations.js';
import { type PreparedReads, preparedReads } from '../db/prepared-reads.js';
import { VISIBILITIES, type Visitor } from '../notes/note-policy.js';
import { NoteRepository } from '../notes/note-repository.js';
import { TrashRepository } from '../trash/trash-repository.js';
import { parseQuery } from './search-query.js';
import { SearchRepository } from './search-repository.js';

/**
 * The window of recent changes (search-window.ts) gives exactly the pages the whole index gives,
 * for every visitor, query and page, after creates, edits, trims, the trash and deletes, on both
 * dialects; and it holds every note changed since its cutoff.
 */

const USERS = ['ann', 'bob'];
const VISITORS: Visitor[] = [undefined, ...USERS.map((username) => ({ username }))];
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'omega'];
const QUERIES = [
  'alpha',
  'beta',
  'gamma',
  'omega',
  'alp*',
  '"alpha beta"',
  'alpha -beta',
  'zeta',
  'body',
  'legacy',
];
const WINDOW = 8;
const PAGE = 3;

/** Deterministic text: word i of the vocabulary appears in every (i+1)-th note, so counts differ. */
function text(n: number): { title: string; body: string } {
  const inTitle = WORDS.filter((_, i) => n % (i + 1) === 0);
  const inBody = WORDS.filter((_, i) => n % (i + 2) === 0);
  // "legacy" is in the titles of the oldest notes only and in the bodies of the newest: the window
  // holds body matches alone, which rank below the old title matches.
  if (n < 6) inTitle.push('legacy');
  if (n >= 30) inBody.push('legacy');
  return { title: `Note ${n} ${inTitle.join(' ')}`, body: `Body ${n}: ${inBody.join(' ')}.` };
}

interface Setup {
  db: Sequelize;
  prepared: PreparedReads;
}

let mysql: TestDatabase;
let mysqlSmall: TestDatabase;
let dir: string;
const setups: Record<string, Setup> = {};

async function setUp(url: string, notesCount: number): Promise<Setup> {
  const db = openDatabase({ url });
  await migrateUp(db, migrations);
  await db.query('UPDATE note_search_window SET size = ?', { replacements: [WINDOW] });
  const prepared = preparedReads(db);
  const notes = new NoteRepository(db, prepared.read);
  for (let n = 0; n < notesCount; n++) {
    const made = await notes.create({
      key: `n${n}`,
      ...text(n),
      owner: USERS[n % 2]!,
      visibility: VISIBILITIES[n % 3]!,
    });
    if (!made) throw new Error('not created');
  }
  return { db, prepared };
}

beforeAll(async () => {
  mysql = await createTestDatabase('notes_search_window');
  mysqlSmall = await createTestDatabase('notes_search_window_small');
  dir = mkdtempSync(join(tmpdir(), 'notes-search-window-'));
});
afterAll(async () => {
  for (const s of Object.values(setups)) {
    await s.prepared.close();
    await s.db.close();
  }
  await mysql?.drop();
  await mysqlSmall?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(['mariadb', 'sqlite'] as const)('the window of recent changes (%s)', (dialect) => {
  const url = () => (dialect === 'mariadb' ? mysql.url : `sqlite:${join(dir, 'window.sqlite')}`);

  it('gives the same pages as the whole index after edits, trims, the trash and deletes', async () => {
    const setup = await setUp(url(), 40);
    setups[dialect] = setup;
    const { db, prepared } = setup;
    const notes = new NoteRepository(db, prepared.read);
    const trash = new TrashRepository(db);
    const index = notes.searchIndex;
    // Old notes edited (they move into the window), some twice; one trashed, one deleted.
    for (const n of [3, 12, 3, 20, 7]) {
      const note = await notes.find(`n${n}`);
      const edited = await notes.update(`n${n}`, note!.version, { body: `${note!.body} omega edited` });
      expect(edited.result).toBe('updated');
    }
    expect(await trash.discard('n12', 'ann')).toBe(true);
    await db.query("DELETE FROM notes WHERE `key` = 'n39'");
    await index.window.trim();

    // The invariant: every live note changed at or after the cutoff is in the window.
    const { hasCutoff, size } = await index.window.state();
    expect(size).toBe(WINDOW);
    expect(hasCutoff).toBe(true);
    const [missing] = await db.query(
      `SELECT n.\`key\` FROM notes n WHERE n.deletedAt IS NULL
        AND n.updatedAt >= (SELECT cutoff FROM note_search_window WHERE id = 1)
        AND n.id NOT IN (SELECT ${dialect === 'mariadb' ? 'noteId' : 'rowid'} FROM note_search_recent)`,
    );
    expect(missing).toEqual([]);
    const [[counted]] = (await db.query('SELECT COUNT(*) AS n FROM note_search_recent')) as [
      Array<{ n: number | string }>,
      unknown,
    ];
    expect(Number(counted!.n)).toBeGreaterThanOrEqual(WINDOW);
    expect(Number(counted!.n)).toBeLessThanOrEqual(WINDOW + 1);

    const windowed = new SearchRepository(db);
    const whole = new SearchRepository(db, { useWindow: false });
    let fromWindow = 0;
    for (const visitor of VISITORS) {
      for (const text of QUERIES) {
        const query = parseQuery(text);
        for (let offset = 0; offset < 15; offset += PAGE) {
          const a = await windowed.page(visitor, query, {}, offset, PAGE);
          const b = await whole.page(visitor, query, {}, offset, PAGE);
          const label = `${visitor?.username ?? 'anonymous'} "${text}" from ${offset}`;
          expect(
            a.hits.map((h) => h.key),
            label,
          ).toEqual(b.hits.map((h) => h.key));
          if (a.exact) expect(a.total, label).toBe(b.total);
          else {
            fromWindow++;
            expect(a.total, label).toBeLessThanOrEqual(b.total!);
          }
        }
        // A filter takes part as well.
        const owned = await windowed.page(visitor, query, { owner: 'ann' }, 0, PAGE);
        const ownedWhole = await whole.page(visitor, query, { owner: 'ann' }, 0, PAGE);
        expect(owned.hits.map((h) => h.key)).toEqual(ownedWhole.hits.map((h) => h.key));
      }
    }
    // The window answered a good share of them (else this test would not test it).
    expect(fromWindow).toBeGreaterThan(5);
    // Trashed and deleted notes are in neither.
    const trashed = await windowed.page({ username: 'ann' }, parseQuery('omega'), {}, 0, 50);
    expect(trashed.hits.map((h) => h.key)).not.toContain('n12');
    expect(trashed.hits.map((h) => h.key)).not.toContain('n39');
  });

  it('is the whole index until it first fills: exact counts for a small installation', async () => {
    const small = await setUp(
      dialect === 'mariadb' ? mysqlSmall.url : `sqlite:${join(dir, 'small.sqlite')}`,
      WINDOW - 2,
    );
    setups[`${dialect}-small`] = small;
    const repo = new SearchRepository(small.db);
    const whole = new SearchRepository(small.db, { useWindow: false });
    const { hasCutoff } = await new NoteRepository(small.db, small.prepared.read).searchIndex.window.state();
    expect(hasCutoff).toBe(false);
    for (const visitor of VISITORS) {
      const page = await repo.page(visitor, parseQuery('body'), {}, 0, 2);
      const all = await whole.page(visitor, parseQuery('body'), {}, 0, 2);
      expect(page.exact).toBe(true);
      expect(page.total).toBe(all.total);
      expect(page.hits.map((h) => h.key)).toEqual(all.hits.map((h) => h.key));
    }
  });
});
