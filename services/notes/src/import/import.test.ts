import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipWriter } from '../export/zip-writer.js';
import { DIALECTS, startTestNotesOn } from '../testing/dialects.js';
import type { TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, csrfFrom, listedKeys, textOf, WebClient } from '../testing/web-client.js';
import { zipEntries } from './zip-entries.js';

/**
 * Export of every readable note as a zip and import of .md files and zips (DESIGN 4.7), through
 * the real pages on MariaDB and SQLite: the round trip (export, wipe, import: the same notes), the
 * read policy in the zip, a bad file reported and nothing of it saved, the limits, zip bombs and
 * entry names that leave the archive, and an import found by search at once.
 */

const alice = { username: 'alice', password: 'alice-password-1' };
const bob = { username: 'bob', password: 'bob-password-1' };
const carol = { username: 'carol', password: 'carol-password-1' };
let userauth: RunningUserauth;

beforeAll(async () => {
  userauth = await startUserauth([alice, bob, carol]);
});
afterAll(async () => {
  await userauth?.stop();
});

const LIMITS = {
  NOTES_IMPORT_MAX_FILES: '100',
  NOTES_IMPORT_MAX_FILE_BYTES: '20000',
  NOTES_IMPORT_MAX_UPLOAD_BYTES: '200000',
  NOTES_IMPORT_MAX_UNPACKED_BYTES: '60000',
};

async function zipOf(files: Array<[string, string | Buffer]>): Promise<Buffer> {
  const zip = new ZipWriter();
  const parts: Buffer[] = [];
  for (const [name, data] of files) parts.push(await zip.entry(name, Buffer.from(data), new Date()));
  parts.push(zip.end());
  return Buffer.concat(parts);
}

async function unzip(data: Buffer): Promise<Map<string, string>> {
  const { entries, close } = await zipEntries(data);
  try {
    const files = new Map<string, string>();
    for (const e of entries) files.set(e.name, (await e.read()).toString('utf8'));
    return files;
  } finally {
    close();
  }
}

/** What the results page says of each file: status and reason (or the imported note's key). */
function outcomes(html: string): Map<string, { status: string; detail: string }> {
  const list = byId(html, 'import-results') ?? '';
  const found = new Map<string, { status: string; detail: string }>();
  for (const m of list.matchAll(
    /<li[^>]*data-file="([^"]*)" data-status="(\w+)"(?: data-key="([^"]*)")?>([\s\S]*?)<\/li>/g,
  ))
    found.set(m[1]!, {
      status: m[2]!,
      detail: m[3] ?? textOf(/class="import-reason">([\s\S]*?)<\/span>/.exec(m[4]!)?.[1]),
    });
  return found;
}

function md(front: Record<string, string>, body: string): string {
  const lines = Object.entries(front).map(([k, v]) => `${k}: ${v}`);
  return ['---', ...lines, '---', '', body].join('\n');
}

class Person {
  readonly web: WebClient;
  constructor(private readonly notes: TestNotes) {
    this.web = new WebClient(notes.url);
  }

  async add(key: string, fields: { title: string; body?: string; tags?: string; visibility?: string }) {
    const { res, text } = await this.web.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: key,
      body: '',
      visibility: 'private',
      ...fields,
    });
    expect(res.status, textOf(byId(text, 'formmessage'))).toBe(302);
  }

  async exportAll(): Promise<{ res: Response; zip: Buffer }> {
    const res = await fetch(`${this.notes.url}/notes/export`, {
      headers: { cookie: this.web.cookieHeader() },
      redirect: 'manual',
    });
    return { res, zip: Buffer.from(await res.arrayBuffer()) };
  }

  async import(files: Array<[string, string | Buffer]>, token?: string) {
    const page = await this.web.get('/notes/import');
    const form = new FormData();
    form.append('_csrf', token ?? csrfFrom(page.text, '/notes/import'));
    for (const [name, data] of files) form.append('files', new Blob([Buffer.from(data)]), name);
    const { res, text } = await this.web.request('/notes/import', { method: 'POST', body: form });
    return { status: res.status, text, results: outcomes(text), message: textOf(byId(text, 'formmessage')) };
  }

  async destroy(key: string) {
    const { res } = await this.web.submit(`/notes/destroy?key=${key}`, '/notes/destroy/confirm', {
      notekey: key,
    });
    expect(res.status).toBe(302);
  }

  async found(q: string): Promise<string[]> {
    const { text } = await this.web.get(`/search?q=${encodeURIComponent(q)}`);
    return [...(byId(text, 'search-results') ?? '').matchAll(/data-key="([^"]+)"/g)].map((m) => m[1]!);
  }
}

/** A note file of the zip without its dates (an import makes a new note: new dates). */
const undated = (text: string) => text.replace(/^(created|updated): .*\n/gm, '');

describe.each(DIALECTS)('export and import (%s)', (dialect) => {
  let notes: TestNotes;
  let a: Person;
  let b: Person;

  beforeAll(async () => {
    notes = await startTestNotesOn(dialect, 'notes_import', userauth, {
      NOTES_MIGRATE_ON_START: 'true',
      NOTES_WRITE_LIMIT_BURST: '1000',
      ...LIMITS,
    });
    a = new Person(notes);
    await a.web.login(alice.username, alice.password);
    b = new Person(notes);
    await b.web.login(bob.username, bob.password);
  });
  afterAll(async () => {
    await notes?.close();
  });

  it('round trip: export every note as a zip, wipe them, import the zip: the same notes', async () => {
    const c = new Person(notes);
    await c.web.login(carol.username, carol.password);
    // 57 notes: the export reads them a page (50) at a time.
    await c.add('trip-cjk', { title: '東京の「メモ」', body: '京都 #旅行\n\n日本語の本文', tags: 'travel' });
    await c.add('trip-fm', {
      title: 'Looks like "front matter"',
      body: '---\ntitle: not this\n---\n\nThe body starts with a rule and ends with two newlines\n\n',
      visibility: 'public',
    });
    await c.add('trip-team', { title: 'Team note', body: '', tags: 'a, b, c', visibility: 'team' });
    await c.add('Trip-Case', { title: 'Case 1', body: 'upper' });
    // Keys differ by case only on SQLite (MariaDB's collation makes "trip-case" the same key).
    if (dialect === 'sqlite') await c.add('trip-case', { title: 'Case 2', body: 'lower #tagged' });
    else await c.add('trip-other', { title: 'Case 2', body: 'lower #tagged' });
    for (let i = 0; i < 52; i++)
      await c.add(`trip-${i}`, { title: `Filler ${i}`, body: `filler ${i} #n${i % 3}` });
    const readable = (zip: Map<string, string>) =>
      new Map(
        [...zip.values()]
          .filter((t) => /^owner: "carol"$/m.test(t))
          .map((t) => [/^key: "(.*)"$/m.exec(t)![1]!, undated(t)]),
      );

    notes.queries.length = 0;
    const before = await c.exportAll();
    expect(before.res.status).toBe(200);
    expect(before.res.headers.get('content-type')).toBe('application/zip');
    expect(before.res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?notes-\d{4}-\d\d-\d\d\.zip"?$/,
    );
    expect(notes.queries.filter((q) => q.includes('ORDER BY `Note`.id LIMIT')).length).toBeGreaterThanOrEqual(
      2,
    );
    const files = await unzip(before.zip);
    // Key-based names, unique even on a disk that ignores case.
    expect(files.has('trip-cjk.md')).toBe(true);
    expect(files.has('Trip-Case.md')).toBe(true);
    if (dialect === 'sqlite') expect(files.has('trip-case~2.md')).toBe(true);
    const mine = readable(files);
    expect(mine.size).toBe(57);

    for (const key of mine.keys()) await c.destroy(key);
    const empty = await c.web.submit('/trash/empty', '/trash/empty', {});
    expect(empty.res.status).toBe(302);
    expect(readable(await unzip((await c.exportAll()).zip)).size).toBe(0);

    const imported = await c.import([['notes.zip', before.zip]]);
    expect(imported.status).toBe(200);
    const results = [...imported.results.values()];
    expect(results.filter((r) => r.status === 'imported').length).toBeGreaterThanOrEqual(57);
    // Every key came back as it was.
    expect(results.map((r) => r.detail)).toEqual(expect.arrayContaining([...mine.keys()]));
    const after = readable(await unzip((await c.exportAll()).zip));
    expect(new Map([...after].sort())).toEqual(new Map([...mine].sort()));
  });

  it('the zip holds every note the user may read and none they may not; anonymous visitors sign in first', async () => {
    await a.add('a-private', { title: 'Alice private', body: 'mine' });
    await a.add('a-public', { title: 'Alice public', body: 'for all', visibility: 'public' });
    await b.add('b-private', { title: 'Bob private', body: 'secret' });
    await b.add('b-team', { title: 'Bob team', body: 'for the team', visibility: 'team' });
    const names = [...(await unzip((await a.exportAll()).zip)).keys()];
    expect(names).toEqual(expect.arrayContaining(['a-private.md', 'a-public.md', 'b-team.md']));
    expect(names).not.toContain('b-private.md');
    const bobs = [...(await unzip((await b.exportAll()).zip)).keys()];
    expect(bobs).toEqual(expect.arrayContaining(['b-private.md', 'a-public.md']));
    expect(bobs).not.toContain('a-private.md');

    const anonymous = await fetch(`${notes.url}/notes/export`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/users\/login/);
    expect((await new WebClient(notes.url).get('/notes/export?key=a-public')).res.status).toBe(200);
  });

  it('an import is found by search, its tag page and the list at once; keys kept when free, else new', async () => {
    const { status, results } = await a.import([
      [
        'okapi.md',
        md(
          { key: '"imp-okapi"', title: '"Okapi facts"', formTags: '["zoo"]', visibility: 'team' },
          'The okapizebra lives in #forests',
        ),
      ],
      ['plain.md', '# A plain heading\n\nplainokapi text without front matter\n'],
      ['taken.md', md({ key: '"a-public"', title: 'Taken key' }, 'takenkeyokapi')],
    ]);
    expect(status).toBe(200);
    expect(results.get('okapi.md')).toEqual({ status: 'imported', detail: 'imp-okapi' });
    expect(await a.found('okapizebra')).toEqual(['imp-okapi']);
    expect(await b.found('okapizebra')).toEqual(['imp-okapi']);
    expect(listedKeys((await a.web.get('/tags/forests')).text)).toEqual(['imp-okapi']);
    expect(listedKeys((await a.web.get('/tags/zoo')).text)).toEqual(['imp-okapi']);
    expect(listedKeys((await a.web.get('/')).text)).toContain('imp-okapi');

    const plainKey = results.get('plain.md')?.detail ?? '';
    expect(await a.found('plainokapi')).toEqual([plainKey]);
    const plain = await a.web.get(`/notes/view?key=${plainKey}`);
    expect(textOf(byId(plain.text, 'notetitle'))).toBe('A plain heading');

    const taken = results.get('taken.md')!;
    expect(taken.status).toBe('imported');
    expect(taken.detail).not.toBe('a-public');
    expect(await a.found('takenkeyokapi')).toEqual([taken.detail]);
    // The importing user owns it, whatever the file says.
    const owned = await fetch(`${notes.url}/notes/export?key=imp-okapi`, {
      headers: { cookie: a.web.cookieHeader() },
    });
    expect(await owned.text()).toMatch(/^owner: "alice"$/m);
  });

  it('a bad file is reported by name and reason and nothing of it is saved; the good ones import', async () => {
    const zip = await zipOf([
      ['in-zip-good.md', md({ key: '"zip-good"', title: 'Zip good' }, 'zipgoodokapi')],
      ['in-zip-bad.md', md({ key: '"zip-bad"', title: '""' }, 'zipbadokapi')],
      ['picture.png', Buffer.from([1, 2, 3])],
    ]);
    const { status, results } = await a.import([
      ['good.md', md({ key: '"good-1"', title: 'Good' }, 'goodokapi')],
      ['bad-visibility.md', md({ key: '"bad-1"', title: 'Bad', visibility: 'secret' }, 'badokapi')],
      ['bad-key.md', md({ key: '"no spaces allowed"', title: 'Bad key' }, 'badkeyokapi')],
      ['bad-yaml.md', '---\ntitle: [unclosed\n---\nbadyamlokapi'],
      ['latin1.md', Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9])],
      ['notes.txt', 'not markdown'],
      ['bundle.zip', zip],
    ]);
    expect(status).toBe(200);
    expect(results.get('good.md')).toEqual({ status: 'imported', detail: 'good-1' });
    expect(results.get('bad-visibility.md')).toEqual({
      status: 'failed',
      detail: 'visibility: must be one of private, team, public',
    });
    expect(results.get('bad-key.md')?.detail).toMatch(/^key: must be 1-64 characters/);
    expect(results.get('bad-yaml.md')?.detail).toMatch(/^front matter: is not valid YAML/);
    expect(results.get('latin1.md')).toEqual({ status: 'failed', detail: 'is not UTF-8 text' });
    expect(results.get('notes.txt')?.status).toBe('failed');
    expect(results.get('bundle.zip/in-zip-good.md')).toEqual({ status: 'imported', detail: 'zip-good' });
    expect(results.get('bundle.zip/in-zip-bad.md')).toEqual({
      status: 'failed',
      detail: 'title: is required',
    });
    expect(results.get('bundle.zip/picture.png')?.status).toBe('skipped');
    for (const word of ['badokapi', 'badkeyokapi', 'badyamlokapi', 'zipbadokapi'])
      expect(await a.found(word)).toEqual([]);
    expect((await a.web.get('/notes/view?key=bad-1')).res.status).toBe(404);
    expect((await a.web.get('/notes/view?key=zip-bad')).res.status).toBe(404);
    expect(await a.found('goodokapi')).toEqual(['good-1']);
  });

  it('limits: too many files or bytes refuse the whole import; a file too large fails alone', async () => {
    const many = Array.from({ length: 101 }, (_, i): [string, string] => [`many-${i}.md`, `manyokapi ${i}`]);
    const tooMany = await a.import(many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.message).toBe('files: an import takes at most 100 files');
    const zipped = await a.import([['many.zip', await zipOf(many)]]);
    expect(zipped.status).toBe(413);
    expect(zipped.message).toMatch(/^files: an import takes at most 100 note files; this one has 101/);
    const tooMuch = await a.import([['big.zip', Buffer.alloc(210_000, 1)]]);
    expect(tooMuch.status).toBe(413);
    expect(tooMuch.message).toMatch(/^files: an import may send at most 195.3 KiB/);
    expect(await a.found('manyokapi')).toEqual([]);

    const { results } = await a.import([
      ['large.md', `# Large\n\n${'largeokapi '.repeat(2000)}`],
      ['small.md', 'smallokapi'],
    ]);
    expect(results.get('large.md')).toEqual({
      status: 'failed',
      detail: 'is larger than 19.5 KiB, the most one note file may be',
    });
    expect(results.get('small.md')?.status).toBe('imported');
    expect(await a.found('largeokapi')).toEqual([]);
    expect(textOf(byId((await a.web.get('/notes/import')).text, 'import-help')).replace(/\s+/g, ' ')).toMatch(
      /Up to 100 files, 19.5 KiB each and 195.3 KiB in all/,
    );
  });

  it('zips: a bomb, an unpacked total past the limit and an entry name leaving the archive are refused', async () => {
    const bomb = await zipOf([['bomb.md', 'bombokapi '.repeat(100_000)]]);
    const sneaky = await zipOf([['sneaky.md', `sneakyokapi ${'x'.repeat(100_000)}`]]);
    // The header of `sneaky` claims 100 bytes: unpacking stops there and the entry fails.
    const directory = sneaky.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    sneaky.writeUInt32LE(100, 22);
    sneaky.writeUInt32LE(100, directory + 24);
    const wide = await zipOf(
      Array.from({ length: 4 }, (_, i): [string, string] => [`w${i}.md`, `wideokapi ${'y'.repeat(18_000)}`]),
    );
    const leaving = await zipOf([
      ['fine.md', 'escapefineokapi'],
      ['../../outside.md', 'escapeokapi'],
    ]);
    const { status, results } = await a.import([
      ['bomb.zip', bomb],
      ['sneaky.zip', sneaky],
      ['wide.zip', wide],
      ['escape.zip', leaving],
    ]);
    expect(status).toBe(200);
    expect(results.get('bomb.zip/bomb.md')?.detail).toBe(
      'is larger than 19.5 KiB, the most one note file may be',
    );
    expect(results.get('sneaky.zip/sneaky.md')?.detail).toBe(
      'unpacks to more bytes than its header declares',
    );
    expect(results.get('wide.zip')?.detail).toBe(
      'would unpack to more than 58.6 KiB, the most one import may unpack',
    );
    expect(results.get('escape.zip')?.detail).toMatch(
      /^refused: the entry name "..\/..\/outside.md" is not a plain relative path/,
    );
    for (const word of ['bombokapi', 'sneakyokapi', 'wideokapi', 'escapeokapi', 'escapefineokapi'])
      expect(await a.found(word)).toEqual([]);
  });

  it('the import asks for a signed-in user and the form token', async () => {
    const anonymous = new WebClient(notes.url);
    expect((await anonymous.get('/notes/import')).res.status).toBe(302);
    const form = new FormData();
    form.append('files', new Blob(['anonokapi']), 'anon.md');
    expect((await anonymous.request('/notes/import', { method: 'POST', body: form })).res.status).toBe(401);
    const forged = await a.import([['forged.md', 'forgedokapi']], 'not-the-token');
    expect(forged.status).toBe(403);
    expect(await a.found('forgedokapi')).toEqual([]);
    const none = await a.import([]);
    expect(none.status).toBe(400);
    expect(none.message).toBe('files: choose one or more .md files or a .zip');
  });
});
