import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@notes/testkit';
import { createTestDatabase, redisUrl, type TestDatabase } from '@notes/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotes, type TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, fieldValue, WebClient } from '../testing/web-client.js';

/**
 * Search through the real page (`GET /search`), on MariaDB (InnoDB FULLTEXT, with the server
 * options of the harness and the stacks) and on SQLite (FTS5): scripts, short and stop words,
 * accents, phrases, prefixes, escaping, the read policy, ranking, paging, and an index that follows
 * every change at once.
 */

const run = promisify(execFile);
const alice = { username: 'alice', password: 'alice-password-1' };
const bob = { username: 'bob', password: 'bob-password-1' };
let userauth: RunningUserauth;

beforeAll(async () => {
  userauth = await startUserauth([alice, bob]);
});
afterAll(async () => {
  await userauth?.stop();
});

/** The keys of `#search-results [data-key]`, in rank order. */
function resultKeys(html: string): string[] {
  const list = byId(html, 'search-results') ?? '';
  return [...list.matchAll(/data-key="([^"]+)"/g)].map((m) => m[1] ?? '');
}

describe.each(['mariadb', 'sqlite'] as const)('search (%s)', (dialect) => {
  let notes: TestNotes;
  let db: TestDatabase | undefined;
  let dir: string | undefined;
  let dbUrl: string;
  let a: WebClient;
  let b: WebClient;
  const anon = () => new WebClient(notes.url);

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'notes-search-'));
      dbUrl = `sqlite:${join(dir, 'notes.sqlite')}`;
    } else {
      db = await createTestDatabase('notes_search');
      dbUrl = db.url;
    }
    notes = await startTestNotes({
      NOTES_DB_URL: dbUrl,
      NOTES_MIGRATE_ON_START: 'true',
      ...(dialect === 'mariadb' ? { NOTES_REDIS_URL: redisUrl() } : {}),
      USERAUTH_URL: userauth.url,
      USERAUTH_API_KEY: userauth.apiKey,
      NOTES_PAGE_SIZE: '5',
      NOTES_DEFAULT_VISIBILITY: 'public',
      NOTES_WRITE_LIMIT_BURST: '1000',
    });
    a = new WebClient(notes.url);
    await a.login(alice.username, alice.password);
    b = new WebClient(notes.url);
    await b.login(bob.username, bob.password);
  });

  afterAll(async () => {
    await notes?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function add(client: WebClient, key: string, title: string, body: string, visibility = 'public') {
    const { res } = await client.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: `${dialect}-${key}`,
      title,
      body,
      visibility,
    });
    expect(res.status, `save ${key}`).toBe(302);
    return `${dialect}-${key}`;
  }

  async function edit(client: WebClient, key: string, fields: Record<string, string>) {
    const form = await client.get(`/notes/edit?key=${key}`);
    const { res } = await client.saveNote(form.text, {
      docreate: 'update',
      notekey: key,
      version: fieldValue(form.text, 'version') ?? '',
      title: fieldValue(form.text, 'title') ?? '',
      body: fieldValue(form.text, 'body') ?? '',
      visibility: 'public',
      ...fields,
    });
    expect(res.status, `edit ${key}`).toBe(302);
  }

  async function found(q: string, client: WebClient = a, extra = ''): Promise<string[]> {
    const { res, text } = await client.get(`/search?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status, q).toBe(200);
    return resultKeys(text);
  }

  it('finds CJK words of two characters and more inside longer runs of text', async () => {
    const tokyo = await add(a, 'tokyo', '旅行の記録', '昨日は東京都庁へ行きました。とても楽しかった。');
    const beijing = await add(a, 'beijing', '中文笔记', '我们今天去北京大学参观了图书馆。');
    const seoul = await add(a, 'seoul', 'Korean', '서울특별시에 갔습니다');
    expect(await found('京都')).toEqual([tokyo]);
    expect(await found('都庁')).toEqual([tokyo]);
    expect(await found('行きました')).toEqual([tokyo]);
    expect(await found('北京')).toEqual([beijing]);
    expect(await found('图书馆')).toEqual([beijing]);
    expect(await found('특별시')).toEqual([seoul]);
    expect(await found('大阪')).toEqual([]);
    // Japanese voicing marks tell words apart: ぶた is not ふた.
    expect(await found('楽しかった')).toEqual([tokyo]);
    expect(await found('楽しがった')).toEqual([]);
  });

  it('finds 2-letter words, 1-letter words and stop words', async () => {
    const hamlet = await add(a, 'hamlet', 'Hamlet', 'To be, or not to be, that is the question.');
    const other = await add(a, 'other', 'Other', 'Not this one: to have and to hold.');
    const lang = await add(a, 'lang', 'Languages', 'C is older than Go.');
    expect(await found('to be or not to be')).toEqual([hamlet]);
    expect((await found('to')).sort()).toEqual([hamlet, other].sort());
    expect(await found('the question')).toEqual([hamlet]);
    expect(await found('go')).toEqual([lang]);
    expect(await found('C')).toEqual([lang]);
  });

  it('ignores case and accents, both ways', async () => {
    const creme = await add(a, 'creme', 'Crème Brûlée', 'Un dessert à la française.');
    const cafe = await add(a, 'cafe', 'CAFE NOTES', 'plain cafe without accent');
    expect(await found('creme brulee')).toEqual([creme]);
    expect(await found('CRÈME')).toEqual([creme]);
    expect(await found('francaise')).toEqual([creme]);
    expect(await found('café')).toEqual([cafe]);
  });

  it('phrases, prefixes and exclusions', async () => {
    const phrase = await add(a, 'phrase', 'Phrase', 'the quick brown fox jumps over the lazy dog');
    const scrambled = await add(a, 'scrambled', 'Scrambled', 'the brown quick dog jumps over the lazy fox');
    expect(await found('"quick brown"')).toEqual([phrase]);
    expect((await found('quick brown')).sort()).toEqual([phrase, scrambled].sort());
    expect((await found('jump*')).sort()).toEqual([phrase, scrambled].sort());
    expect(await found('jump')).toEqual([]);
    expect(await found('quick -"quick brown"')).toEqual([scrambled]);
    expect(await found('laz* -scrambled')).toEqual([phrase]);
  });

  it('escapes snippets and titles: the only markup in a result is <mark>', async () => {
    const key = await add(
      a,
      'xss',
      '<img src=x onerror=alert(1)> needle title',
      'Before <script>alert("body")</script> the needle & 1 < 2 > 0 after.',
    );
    const { text } = await a.get('/search?q=needle');
    const results = byId(text, 'search-results') ?? '';
    expect(resultKeys(text)).toEqual([key]);
    expect(results).not.toContain('<script');
    expect(results).not.toContain('<img');
    // The snippet is the plain text of the Markdown: tags are not text, the rest is escaped.
    expect(results).toContain('alert(&quot;body&quot;) the <mark>needle</mark> &amp; 1 &lt; 2 &gt; 0 after.');
    expect(results).toContain('&lt;img src=x onerror=alert(1)&gt; <mark>needle</mark> title');
  });

  it('shows only what the visitor may read, and follows visibility changes and grants at once', async () => {
    const secret = await add(a, 'private', 'Private plans', 'zanzibar private', 'private');
    const team = await add(a, 'team', 'Team plans', 'zanzibar team', 'team');
    const open = await add(a, 'public', 'Public plans', 'zanzibar public', 'public');
    expect((await found('zanzibar', a)).sort()).toEqual([secret, team, open].sort());
    expect((await found('zanzibar', b)).sort()).toEqual([team, open].sort());
    expect(await found('zanzibar', anon())).toEqual([open]);

    await edit(a, open, { visibility: 'private' });
    expect(await found('zanzibar', anon())).toEqual([]);
    expect(await found('zanzibar', b)).toEqual([team]);

    const share = await a.submit(`/notes/share?key=${secret}`, '/notes/share', {
      key: secret,
      username: 'bob',
      role: 'viewer',
    });
    expect(share.res.status).toBe(302);
    expect((await found('zanzibar', b)).sort()).toEqual([secret, team].sort());
  });

  it('the index follows create, edit and delete at once', async () => {
    expect(await found('quetzalcoatl')).toEqual([]);
    const key = await add(a, 'exact', 'Exactness', 'the quetzalcoatl is here');
    expect(await found('quetzalcoatl')).toEqual([key]);
    await edit(a, key, { title: 'Exactness', body: 'now a xochiquetzal instead' });
    expect(await found('quetzalcoatl')).toEqual([]);
    expect(await found('xochiquetzal')).toEqual([key]);
    await edit(a, key, { title: 'Renamed tlaloc' });
    expect(await found('tlaloc')).toEqual([key]);
    expect(await found('exactness')).toEqual([]);
    const del = await a.submit(`/notes/destroy?key=${key}`, '/notes/destroy/confirm', { notekey: key });
    expect(del.res.status).toBe(302);
    expect(await found('xochiquetzal')).toEqual([]);
  });

  it('ranks title matches first, then the most recently changed; pages "6–7 of 7"; past the end goes to the last page', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 6; i++) keys.push(await add(a, `rank${i}`, `Body only ${i}`, `a wombat story ${i}`));
    const titled = await add(a, 'rank-title', 'Wombat in the title', 'nothing else');
    // The oldest body match changed last: it comes first among the body matches.
    await edit(a, keys[0] ?? '', { body: 'a wombat story, changed' });
    const page1 = await a.get('/search?q=wombat');
    expect(resultKeys(page1.text)).toEqual([titled, keys[0], keys[5], keys[4], keys[3]]);
    expect(byId(page1.text, 'search-summary')).toContain('1–5 of 7');
    expect(page1.text).toContain('<mark>Wombat</mark> in the title');
    const page2 = await a.get('/search?q=wombat&page=2');
    expect(resultKeys(page2.text)).toEqual([keys[2], keys[1]]);
    expect(byId(page2.text, 'search-summary')).toContain('6–7 of 7');
    expect(page2.text).toMatch(/href="\/search\?q(=|&#x3D;)wombat" ?>First<\/a>/);
    const past = await a.get('/search?q=wombat&page=9');
    expect(past.res.status).toBe(302);
    expect(past.res.headers.get('location')).toBe('/search?q=wombat&page=2');
    expect(await found('wombat', a, '&owner=bob')).toEqual([]);
    expect(await found('wombat', a, '&owner=alice')).toHaveLength(5);
  });

  it('bad input is a 400 naming q, with what was typed still in the box; an empty box is a page', async () => {
    const long = 'y'.repeat(201);
    const bad = await a.get(`/search?q=${long}`);
    expect(bad.res.status).toBe(400);
    expect(byId(bad.text, 'searchmessage')).toContain('q: must be at most 200 characters');
    expect(fieldValue(bad.text, 'q')).toBe(long);
    const only = await a.get('/search?q=-alone');
    expect(only.res.status).toBe(400);
    expect(byId(only.text, 'searchmessage')).toContain('q: needs a word');
    const empty = await anon().get('/search');
    expect(empty.res.status).toBe(200);
    expect(empty.text).toContain('id="search-form"');
    expect(empty.text).not.toContain('id="search-results"');
    // Every page has the search box in its header.
    const home = await anon().get('/');
    expect(home.text).toMatch(/<header[\s\S]*action="\/search"[\s\S]*<\/header>/);
  });

  it('the operators rebuild command restores a damaged index', async () => {
    const key = await add(a, 'rebuild', 'Rebuild me', 'axolotl rebuilt');
    const trashed = await add(a, 'rebuild-trashed', 'Trashed', 'axolotl in the trash');
    const del = await a.submit(`/notes/destroy?key=${trashed}`, '/notes/destroy/confirm', {
      notekey: trashed,
    });
    expect(del.res.status).toBe(302);
    expect(await found('axolotl')).toEqual([key]);
    const { SearchIndex } = await import('./search-index.js');
    const index = new SearchIndex(notes.db);
    await index.removeKey(key);
    expect(await found('axolotl')).toEqual([]);
    const cli = await run('node', [join(REPO_ROOT, 'services/notes/dist/search-rebuild.js')], {
      env: { ...process.env, NOTES_DB_URL: dbUrl, LOG_LEVEL: 'warn' },
    });
    expect(cli.stdout).toMatch(/search index rebuilt: \d+ notes/);
    // The note in the trash stays out of the index.
    expect(await found('axolotl')).toEqual([key]);
    expect(await index.reindexKey('no-such-note')).toBe(false);
  });
});
