/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import { zipEntries } from '@notes/notes/testing';
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, poll, screenshot, uniq, viewUrl } from './support.js';

// The tag cloud counted again once a second, so that a new tag shows while the test polls.
const e2e = useE2e('e2e_import', { notesEnv: { NOTES_TAG_CLOUD_SECONDS: '1' } });

/** The names and texts of a zip's files. */
async function unzip(data: Buffer): Promise<Map<string, string>> {
  const { entries, close } = await zipEntries(data);
  const files = new Map<string, string>();
  for (const entry of entries) files.set(entry.name, (await entry.read()).toString('utf8'));
  close();
  return files;
}

describe('export and import in the browser', () => {
  test('download every note as a zip from the home page, delete the note, upload the zip and a .md file: the note is back', async () => {
    const alice = (await e2e.as(e2e.alice)).page;
    const word = `carry${uniq()}`.toLowerCase();
    const key = await addNote(alice, {
      key: `carry-${uniq()}`,
      title: 'Carried note',
      body: `${word} #carried`,
    });

    await alice.goto('/');
    // The tag cloud is counted in the background: it shows the new tag once counted.
    // Each try reads the page as it came, without waiting for the chip (a wait would outlast the
    // poll on the first page, the one counted before the note existed).
    await poll(
      async () => {
        await alice.goto('/');
        const chip = alice.locator('#tagcloud .tag-chip[data-tag="carried"] .tag-count');
        return (await chip.count()) > 0 ? chip.textContent() : null;
      },
      { timeout: 15_000 },
    ).toBe('1');
    await screenshot(alice, 'home-tag-cloud-desktop');
    const [download] = await Promise.all([
      alice.waitForEvent('download'),
      alice.locator('#carry-notes a[href="/notes/export"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^notes-\d{4}-\d\d-\d\d\.zip$/);
    const zip = await readFile((await download.path()) ?? '');
    const files = await unzip(zip);
    expect(files.get(`${key}.md`)).toMatch(
      new RegExp(`^---\\nkey: "${key}"\\ntitle: "Carried note"[\\s\\S]*\\n---\\n\\n${word} #carried$`),
    );

    // Delete it for good (trash emptied), so that its key is free again.
    await alice.goto(`/notes/destroy?key=${key}`);
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/'),
      alice.locator('form[action="/notes/destroy/confirm"] [type=submit]').click(),
    ]);
    await alice.goto('/trash/empty');
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/trash'),
      alice.locator('form[action="/trash/empty"] [type=submit]').click(),
    ]);
    expect((await alice.goto(viewUrl(key)))?.status()).toBe(404);

    await alice.goto('/');
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/notes/import'),
      alice.locator('#carry-notes a[href="/notes/import"]').click(),
    ]);
    await screenshot(alice, 'import-form-desktop');
    await alice.locator('#import-files').setInputFiles([
      { name: 'my-notes.zip', mimeType: 'application/zip', buffer: zip },
      {
        name: 'plain.md',
        mimeType: 'text/markdown',
        buffer: Buffer.from(`# A plain file\n\nplain${word}\n`),
      },
    ]);
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/notes/import'),
      alice.locator('#import-form button[type=submit]').click(),
    ]);
    const results = alice.locator('#import-results');
    await expect(
      results.locator(`[data-file="my-notes.zip/${key}.md"]`).getAttribute('data-key'),
    ).resolves.toBe(key);
    await expect(results.locator('[data-file="plain.md"]').getAttribute('data-status')).resolves.toBe(
      'imported',
    );
    await expect(alice.locator('#import-summary').textContent()).resolves.toBe('2 imported.');
    await screenshot(alice, 'import-results-desktop');

    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/notes/view'),
      results.locator(`[data-key="${key}"] a`).click(),
    ]);
    await expect(alice.locator('#notetitle').textContent()).resolves.toBe('Carried note');
    await alice.goto(`/search?q=${word}`);
    await expect(alice.locator(`#search-results [data-key="${key}"]`).count()).resolves.toBe(1);
  });
});
