import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCollab, openCollab } from '../testing/collab-clients.js';
import { DIALECTS, startTestNotesOn } from '../testing/dialects.js';
import type { TestNotes } from '../testing/notes-in-process.js';
import { type RunningUserauth, startUserauth } from '../testing/userauth-process.js';
import { WebClient } from '../testing/web-client.js';

const tess = { username: 'tess', password: 'tess-password-1' };
const ugo = { username: 'ugo', password: 'ugo-password-1' };
const BODY = '# Chores\n- [ ] dishes\n- [x] laundry\n';

let userauth: RunningUserauth;
beforeAll(async () => {
  userauth = await startUserauth([tess, ugo]);
});
afterAll(async () => {
  await userauth?.stop();
});

describe.each(DIALECTS)('ticking a task box saves the note (%s)', (dialect) => {
  let notes: TestNotes;
  let asTess: WebClient;
  let asUgo: WebClient;
  beforeAll(async () => {
    notes = await startTestNotesOn(dialect, `notes_tasks_${dialect}`, userauth, {
      NOTES_DEFAULT_VISIBILITY: 'team',
      NOTES_WRITE_LIMIT_BURST: '1000',
      // Every save its own revision (no merging of one author's saves in a row).
      NOTES_REVISION_MERGE_SECONDS: '0',
      NOTES_COLLAB_COMPACT_IDLE_MS: '200',
      NOTES_COLLAB_COMPACT_MAX_MS: '1000',
    });
    asTess = new WebClient(notes.url);
    await asTess.login(tess.username, tess.password);
    asUgo = new WebClient(notes.url);
    await asUgo.login(ugo.username, ugo.password);
  });
  afterAll(async () => {
    await notes?.close();
  });

  async function newNote(visibility = 'team') {
    const made = await asTess.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: '',
      title: 'Chores',
      body: BODY,
      visibility,
    });
    return new URL(made.res.headers.get('location')!, notes.url).searchParams.get('key')!;
  }
  /** The page of the note, its version, and the token its task boxes post with (editors only). */
  async function view(client: WebClient, key: string) {
    const { text } = await client.get(`/notes/view?key=${key}`);
    return {
      text,
      version: /data-version="(\d+)"/.exec(text)?.[1] ?? '',
      token: /data-task-token="([^"]+)"/.exec(text)?.[1],
    };
  }
  function tick(client: WebClient, token: string | undefined, fields: Record<string, string>) {
    return client.request('/notes/task', {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        ...(token ? { 'x-csrf-token': token } : {}),
      },
      body: new URLSearchParams(fields).toString(),
    });
  }
  const body = async (key: string) => (await asTess.get(`/notes/body?key=${key}`)).text;

  it('saves the tick as a new version, with a revision, for those who may edit', async () => {
    const key = await newNote();
    const page = await view(asTess, key);
    expect(page.token).toBeTruthy();
    const done = await tick(asTess, page.token, { key, version: page.version, task: '0', done: '1' });
    expect(done.res.status).toBe(200);
    const { version } = JSON.parse(done.text) as { version: number };
    expect(version).toBe(Number(page.version) + 1);
    expect(await body(key)).toMatch(/data-task="0"[^>]*checked/);
    const history = (await asTess.get(`/notes/history?key=${key}`)).text;
    expect(history.match(/data-rev=/g)).toHaveLength(2);
    // Unticking the second box on top of the new version.
    const undone = await tick(asTess, page.token, { key, version: String(version), task: '1', done: '0' });
    expect(undone.res.status).toBe(200);
    expect(await body(key)).not.toMatch(/data-task="1"[^>]*checked/);
  });

  it('refuses a stale version with a clear 409, and bad input naming the field', async () => {
    const key = await newNote();
    const page = await view(asTess, key);
    await tick(asTess, page.token, { key, version: page.version, task: '0', done: '1' });
    const stale = await tick(asTess, page.token, { key, version: page.version, task: '1', done: '0' });
    expect(stale.res.status).toBe(409);
    expect(JSON.parse(stale.text).message).toMatch(/changed since you opened it/);
    const missing = await tick(asTess, page.token, {
      key,
      version: String(Number(page.version) + 1),
      task: '7',
      done: '1',
    });
    expect(missing.res.status).toBe(409);
    const bad = await tick(asTess, page.token, { key, version: page.version, task: 'first', done: '1' });
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.text).field).toBe('task');
    expect(
      (await tick(asTess, undefined, { key, version: page.version, task: '0', done: '1' })).res.status,
    ).toBe(403);
  });

  it('keeps readers who may not edit to disabled boxes: no token, refused; 404 for a note they may not read', async () => {
    const key = await newNote();
    const page = await view(asUgo, key);
    expect(page.token).toBeUndefined();
    expect(page.text).toMatch(
      /<input type="checkbox" class="task-check" data-task="0" aria-label="dishes" disabled/,
    );
    const ugoToken = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    const refused = await tick(asUgo, ugoToken, { key, version: page.version, task: '0', done: '1' });
    expect(refused.res.status).toBe(403);
    const secret = await newNote('private');
    const hidden = await tick(asUgo, ugoToken, { key: secret, version: '1', task: '0', done: '1' });
    expect(hidden.res.status).toBe(404);
    expect(await body(key)).not.toMatch(/data-task="0"[^>]*checked/);
  });

  it('goes through the shared document when the note is being edited together', async () => {
    const key = await newNote();
    const editor = await openCollab(notes.url, key, { cookie: asTess.cookieHeader() });
    try {
      editor.text.insert(editor.text.length, 'typed meanwhile\n');
      await expect
        .poll(async () => (await body(key)).includes('typed meanwhile'), { timeout: 5000 })
        .toBe(true);
      const page = await view(asTess, key);
      const done = await tick(asTess, page.token, { key, version: page.version, task: '0', done: '1' });
      expect(done.res.status).toBe(200);
      // The editor's document has the tick, its own typing kept: one text for everyone.
      await expect
        .poll(() => editor.text.toString(), { timeout: 5000 })
        .toBe('# Chores\n- [x] dishes\n- [x] laundry\ntyped meanwhile\n');
      await expect
        .poll(async () => /data-task="0"[^>]*checked/.test(await body(key)), { timeout: 5000 })
        .toBe(true);
    } finally {
      closeCollab(editor);
    }
  });
});
