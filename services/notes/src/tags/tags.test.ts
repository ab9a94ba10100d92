import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotesOn } from '../testing/dialects.js';
import { type TestNotes, withoutTagCloud } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { byId, fieldValue, listedKeys, textOf, WebClient } from '../testing/web-client.js';

/**
 * Tags (`#word` in the text and the form's `[name=tags]`) and the list that tells what is there
 * (owner, last change, tags, preview, "6–7 of 7", past the end), on MariaDB and SQLite, through
 * the real pages: chips, /tags/<tag>, /tags, search's tag filter, all by the read policy.
 */

const alice = { username: 'alice', password: 'alice-password-1' };
const bob = { username: 'bob', password: 'bob-password-1' };
let userauth: RunningUserauth;

beforeAll(async () => {
  userauth = await startUserauth([alice, bob]);
});
afterAll(async () => {
  await userauth?.stop();
});

const chips = (html: string | undefined) =>
  [...(html ?? '').matchAll(/data-tag="([^"]+)"/g)].map((m) => m[1]);

describe.each(['mariadb', 'sqlite'] as const)('tags and the list (%s)', (dialect) => {
  let notes: TestNotes;
  let a: WebClient;
  let b: WebClient;

  beforeAll(async () => {
    notes = await startTestNotesOn(dialect, 'notes_tags', userauth, {
      NOTES_MIGRATE_ON_START: 'true',
      NOTES_PAGE_SIZE: '5',
      NOTES_DEFAULT_VISIBILITY: 'public',
      NOTES_WRITE_LIMIT_BURST: '1000',
      NOTES_TAG_CLOUD_SIZE: '5',
      NOTES_TAG_CLOUD_SECONDS: '0',
    });
    a = new WebClient(notes.url);
    await a.login(alice.username, alice.password);
    b = new WebClient(notes.url);
    await b.login(bob.username, bob.password);
  });

  afterAll(async () => {
    await notes?.close();
  });

  async function add(key: string, fields: Record<string, string>) {
    const { res, text } = await a.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: key,
      body: '',
      visibility: 'public',
      ...fields,
    });
    expect(res.status, textOf(byId(text, 'formmessage'))).toBe(302);
    return key;
  }

  async function edit(key: string, fields: Record<string, string>) {
    const form = await a.get(`/notes/edit?key=${key}`);
    const { res } = await a.saveNote(form.text, {
      docreate: 'update',
      notekey: key,
      version: fieldValue(form.text, 'version') ?? '',
      title: fieldValue(form.text, 'title') ?? '',
      body: fieldValue(form.text, 'body') ?? '',
      tags: fieldValue(form.text, 'tags') ?? '',
      visibility: 'public',
      ...fields,
    });
    expect(res.status).toBe(302);
  }

  it('tags from the text and the form show as chips on the note, the list and /tags/<tag>', async () => {
    await add('trip', {
      title: 'Trip',
      body: 'Pack the #Travel bag, see #日本 and `#notcode`',
      tags: 'Work, ideas',
    });
    const view = await a.get('/notes/view?key=trip');
    expect(chips(byId(view.text, 'notetags'))).toEqual(['work', 'ideas', 'travel', '日本']);
    expect(view.text).toContain(`href="/tags/${encodeURIComponent('日本')}"`);
    const form = await a.get('/notes/edit?key=trip');
    expect(fieldValue(form.text, 'tags')).toBe('work, ideas');

    const home = await a.get('/');
    const item = /<div class="list-group-item note-item" data-key="trip">[\s\S]*?<\/div>\s*<\/div>/.exec(
      home.text,
    )?.[0];
    expect(chips(item)).toEqual(['ideas', 'travel', 'work', '日本']);
    expect(chips(byId(home.text, 'tagcloud'))).toContain('travel');

    const tagged = await a.get('/tags/travel');
    expect(tagged.res.status).toBe(200);
    expect(listedKeys(tagged.text)).toEqual(['trip']);
    expect((await a.get('/tags/Travel')).res.headers.get('location')).toBe('/tags/travel');
    expect((await a.get('/tags/no!tag')).res.status).toBe(400);
  });

  it('an edit changes the tags at once; a bad tag is a 400 naming the field, keeping the text', async () => {
    await add('recipe', { title: 'Recipe', body: 'flour #baking', tags: 'food' });
    expect(listedKeys((await a.get('/tags/baking')).text)).toEqual(['recipe']);
    await edit('recipe', { body: 'flour, now #cooking', tags: '' });
    expect(listedKeys((await a.get('/tags/baking')).text)).toEqual([]);
    expect(listedKeys((await a.get('/tags/food')).text)).toEqual([]);
    expect(listedKeys((await a.get('/tags/cooking')).text)).toEqual(['recipe']);

    const { text } = await a.get('/notes/add');
    const bad = await a.saveNote(text, {
      docreate: 'create',
      notekey: '',
      title: 'Kept',
      body: 'my text',
      tags: 'fine, bad!one',
    });
    expect(bad.res.status).toBe(400);
    expect(textOf(byId(bad.text, 'formmessage'))).toMatch(/^tags: "bad!one" is not a tag/);
    expect(fieldValue(bad.text, 'body')).toBe('my text');
    expect(fieldValue(bad.text, 'tags')).toBe('fine, bad!one');
  });

  it('tags follow the read policy: /tags/<tag>, /tags and search only count what the visitor may read', async () => {
    await add('secret-tagged', {
      title: 'Secret',
      body: 'about #hidden #shared-tag okapi',
      visibility: 'private',
    });
    await add('open-tagged', { title: 'Open', body: 'about #shared-tag okapi' });
    expect(listedKeys((await b.get('/tags/hidden')).text)).toEqual([]);
    expect(listedKeys((await b.get('/tags/shared-tag')).text)).toEqual(['open-tagged']);
    expect(listedKeys((await a.get('/tags/shared-tag')).text)).toEqual(['open-tagged', 'secret-tagged']);
    const all = await b.get('/tags');
    expect(chips(byId(all.text, 'taglist'))).not.toContain('hidden');
    // The home page's cloud: the same counts, by the same rule, for each visitor.
    const cloud = (html: string) =>
      Object.fromEntries(
        [...(byId(html, 'tagcloud') ?? '').matchAll(/data-tag="([^"]+)" data-count="(\d+)"/g)].map((m) => [
          m[1],
          Number(m[2]),
        ]),
      );
    expect(cloud((await b.get('/')).text)).toMatchObject({ 'shared-tag': 1 });
    expect(cloud((await b.get('/')).text)).not.toHaveProperty('hidden');
    expect(cloud((await new WebClient(notes.url).get('/')).text)).toMatchObject({ 'shared-tag': 1 });
    const alices = cloud((await a.get('/')).text);
    expect(alices).toMatchObject({ 'shared-tag': 2, hidden: 1 });
    // Bounded: the 5 most used (NOTES_TAG_CLOUD_SIZE), ties by name.
    expect(Object.keys(alices)).toEqual(['shared-tag', 'cooking', 'hidden', 'ideas', 'travel']);
    expect(all.text).toMatch(/data-tag="shared-tag"[^>]*>#shared-tag <span[^>]*>1<\/span>/);
    expect((await a.get('/tags')).text).toMatch(
      /data-tag="shared-tag"[^>]*>#shared-tag <span[^>]*>2<\/span>/,
    );
    const search = await a.get('/search?q=okapi&tag=hidden');
    expect(
      [...(byId(search.text, 'search-results') ?? '').matchAll(/data-key="([^"]+)"/g)].map((m) => m[1]),
    ).toEqual(['secret-tagged']);
  });

  it('GET /notes/export?key=K gives the note as Markdown with front matter, only to its readers', async () => {
    await add('export-me', {
      title: 'Export "quoted" title',
      body: 'Line one #exported\n\n```\ncode\n```\n',
      tags: 'kept',
      visibility: 'private',
    });
    const { res, text } = await a.get('/notes/export?key=export-me');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=export-me.md');
    const [front, ...rest] = text.split('\n---\n');
    expect(front).toContain('title: "Export \\"quoted\\" title"');
    expect(front).toContain('tags: ["kept", "exported"]');
    expect(front).toContain('formTags: ["kept"]');
    expect(front).toContain('owner: "alice"');
    expect(front).toContain('visibility: private');
    expect(front).toMatch(/created: \d{4}-\d\d-\d\dT[\d:.]+Z\nupdated: /);
    expect(rest.join('\n---\n')).toBe('\nLine one #exported\n\n```\ncode\n```\n');
    expect((await b.get('/notes/export?key=export-me')).res.status).toBe(404);
    expect((await new WebClient(notes.url).get('/notes/export?key=export-me')).res.status).toBe(404);
    expect((await a.get('/notes/export?key=no-such')).res.status).toBe(404);
  });

  it('the list tells what is there: owner, last change with the exact time, preview, position; one query a page', async () => {
    await add('preview', { title: 'Preview', body: `# Heading\n\nSome **bold** text ${'long '.repeat(60)}` });
    const home = await a.get('/');
    const item =
      /<div class="list-group-item note-item" data-key="preview">[\s\S]*?<\/div>\s*<\/div>/.exec(
        home.text,
      )?.[0] ?? '';
    expect(item).toContain('<span class="note-owner">alice</span>');
    expect(item).toMatch(
      /<time class="note-changed" datetime="\d{4}-\d\d-\d\dT[^"]+" title="\d{4}-\d\d-\d\d \d\d:\d\d UTC">just now<\/time>/,
    );
    const preview = /<p class="note-preview[^"]*">([^<]*)<\/p>/.exec(item)?.[1] ?? '';
    expect(preview.startsWith('Heading Some bold text long long')).toBe(true);
    expect(preview.endsWith('…')).toBe(true);
    expect([...preview].length).toBeLessThanOrEqual(161);

    await add('filler-1', { title: 'Filler 1' });
    await add('filler-2', { title: 'Filler 2' });
    // 6 public notes so far: "1–5 of 6", page 2 "6–6 of 6", a page past the end goes to the last one.
    const anonymous = new WebClient(notes.url);
    const counts: number[] = [];
    for (const path of ['/', '/?page=2']) {
      notes.queries.length = 0;
      const page = await anonymous.get(path);
      // The list's query; the tag cloud's is its own (kept per visitor).
      counts.push(withoutTagCloud(notes.queries).length);
      expect(page.res.status).toBe(200);
    }
    expect(counts).toEqual([1, 1]);
    const first = await anonymous.get('/');
    expect(byId(first.text, 'list-summary')).toBe('1–5 of 6');
    expect(first.text).toContain('href="/?page=2"');
    const second = await anonymous.get('/?page=2');
    expect(byId(second.text, 'list-summary')).toBe('6–6 of 6');
    expect(second.text).toMatch(/data-page="first" href="\/"/);
    const past = await anonymous.get('/?page=40');
    expect(past.res.status).toBe(302);
    expect(past.res.headers.get('location')).toBe('/?page=2');
  });
});
