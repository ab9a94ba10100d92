/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, PHONE, type Probed, poll, screenshot, uniq, viewUrl } from './support.js';

// Two replicas behind no balancer: alice's browser talks to the first, bob's to the second.
const e2e = useE2e('e2e_collab', {
  notesReplicas: 2,
  notesEnv: { NOTES_COLLAB_COMPACT_IDLE_MS: '300', NOTES_COLLAB_COMPACT_MAX_MS: '2000' },
});

const editorText = (page: Page) => page.locator('#note-editor .cm-content').textContent();

async function shareAsEditor(page: Page, key: string, username: string): Promise<void> {
  await page.goto(`/notes/share?key=${encodeURIComponent(key)}`);
  const form = page.locator('form[action="/notes/share"]');
  await form.locator('[name=username]').fill(username);
  await form.locator('[name=role]').selectOption('editor');
  await form.locator('[type=submit]').click();
  await page.locator(`#grants [data-username="${username}"]`).waitFor();
}

async function openEditor(page: Page, key: string): Promise<void> {
  await page.goto(viewUrl(key));
  await page.locator('#note-editor .cm-content').waitFor();
  await poll(() => page.locator('#save-state').textContent()).toBe('Saved');
}

/** The end of the text, then typing like a person (one key at a time). */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  await page.locator('#note-editor .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text, { delay: 15 });
}

/** The start of the text, then typing like a person. */
async function typeAtStart(page: Page, text: string): Promise<void> {
  await page.locator('#note-editor .cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type(text, { delay: 15 });
}

const saveState = (page: Page) => page.locator('#save-state').textContent();

/** A note of Alice's that Bob may edit, open in both editors: Alice's on replica 1, Bob's on replica 2. */
async function twoEditors(title: string, body: string): Promise<{ alice: Probed; bob: Probed; key: string }> {
  const alice = await e2e.as(e2e.alice);
  const key = await addNote(alice.page, { title: `${title} ${uniq()}`, body });
  await shareAsEditor(alice.page, key, e2e.bob.username);
  const bob = await e2e.as(e2e.bob, { baseURL: e2e.stack().notes[1]!.url });
  await openEditor(alice.page, key);
  await openEditor(bob.page, key);
  return { alice, bob, key };
}

function noViolations(p: Probed) {
  expect(p.pageErrors).toEqual([]);
  expect(p.consoleErrors.filter((m) => /Content Security Policy|Refused/.test(m))).toEqual([]);
}

describe('editing together in the browser', () => {
  test('two users on two replicas type into one note at once: both see both texts and each other, a reload shows the merged text', async () => {
    const { alice, bob, key } = await twoEditors('Together', '# Plan\n\n');
    expect(new URL(bob.page.url()).port).toBe(new URL(e2e.stack().notes[1]!.url).port);

    // Both in #presence on both pages, across the replicas.
    for (const p of [alice.page, bob.page]) {
      await p.locator(`#presence [data-user="${e2e.alice.username}"]`).waitFor();
      await p.locator(`#presence [data-user="${e2e.bob.username}"]`).waitFor();
    }

    // At two places: two people typing at the very same caret interleave by nature (a remote insert
    // at your caret moves it past that text), which is not what this test is about.
    await Promise.all([
      typeAtStart(alice.page, 'Alice writes the first part.\n\n'),
      typeAtEnd(bob.page, 'Bob adds **his** part. '),
    ]);
    for (const p of [alice.page, bob.page]) {
      await poll(() => editorText(p), { timeout: 10_000 }).toContain('Alice writes the first part.');
      await poll(() => editorText(p), { timeout: 10_000 }).toContain('Bob adds **his** part.');
    }
    await poll(async () => (await editorText(alice.page)) === (await editorText(bob.page))).toBe(true);
    // Saved only once every change is acknowledged; the preview is the server's rendering.
    for (const p of [alice.page, bob.page]) {
      await poll(() => p.locator('#save-state').textContent(), { timeout: 10_000 }).toBe('Saved');
      await poll(() => p.locator('#note-preview strong').textContent()).toBe('his');
      // The note page's own renderer (body headings sit one level below the page's title).
      await expect(p.locator('#note-preview h2').textContent()).resolves.toBe('Plan');
    }
    // Each sees the other's named cursor.
    await poll(() =>
      alice.page
        .locator('.cm-remote-caret')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name)),
    ).toContain(e2e.bob.username);
    await screenshot(alice.page, 'collab-alice-replica-1');
    await screenshot(bob.page, 'collab-bob-replica-2');

    const merged = await editorText(alice.page);
    await bob.page.reload();
    await bob.page.locator('#note-editor .cm-content').waitFor();
    await poll(() => editorText(bob.page)).toBe(merged);
    // Compacted into the note itself: the rendered body (without the editor) has both parts.
    await poll(async () => (await bob.page.request.get(`/notes/body?key=${key}`)).text(), {
      timeout: 10_000,
    }).toContain('<strong>his</strong>');
    noViolations(alice);
    noViolations(bob);
  });

  test('offline: what is typed while the connection is gone is kept, merges with what another typed meanwhile, and is saved when it returns', async () => {
    const { alice, bob } = await twoEditors('Offline', 'The middle.\n');

    await alice.context.setOffline(true);
    await poll(() => saveState(alice.page), { timeout: 15_000 }).toBe('Offline — changes kept');
    await typeAtStart(alice.page, 'Alice wrote this offline. ');
    await typeAtEnd(bob.page, 'Bob typed meanwhile.');
    await poll(() => saveState(bob.page), { timeout: 10_000 }).toBe('Saved');
    // Neither has the other's text yet; Alice's page still says her changes are only kept.
    expect(await editorText(alice.page)).toBe('Alice wrote this offline. The middle.');
    expect(await editorText(bob.page)).toBe('The middle.Bob typed meanwhile.');
    expect(await saveState(alice.page)).toBe('Offline — changes kept');
    await screenshot(alice.page, 'collab-offline');

    await alice.context.setOffline(false);
    const merged = 'Alice wrote this offline. The middle.Bob typed meanwhile.';
    for (const p of [alice.page, bob.page]) await poll(() => editorText(p), { timeout: 20_000 }).toBe(merged);
    await poll(() => saveState(alice.page), { timeout: 10_000 }).toBe('Saved');
    // The preview, which the server renders, catches up too.
    await poll(() => alice.page.locator('#note-preview').textContent(), { timeout: 10_000 }).toContain(
      'Alice wrote this offline. The middle.\nBob typed meanwhile.',
    );
    await screenshot(alice.page, 'collab-back-online');

    // Offline alone this time: nothing arrives when the connection returns, and the preview (whose
    // render failed while offline) is rendered again all the same.
    await alice.context.setOffline(true);
    await poll(() => saveState(alice.page), { timeout: 15_000 }).toBe('Offline — changes kept');
    await typeAtEnd(alice.page, ' And more.');
    await new Promise((r) => setTimeout(r, 500));
    await alice.context.setOffline(false);
    const final = `${merged} And more.`;
    await poll(() => editorText(bob.page), { timeout: 20_000 }).toBe(final);
    await poll(() => saveState(alice.page), { timeout: 10_000 }).toBe('Saved');
    await poll(() => alice.page.locator('#note-preview').textContent(), { timeout: 10_000 }).toContain(
      'Bob typed meanwhile. And more.',
    );
    await alice.page.reload();
    await alice.page.locator('#note-editor .cm-content').waitFor();
    await poll(() => editorText(alice.page)).toBe(final);
    noViolations(alice);
    noViolations(bob);
  });

  test('shortcuts: bold, italic and link wrap the selection; undo takes back one’s own change', async () => {
    const alice = await e2e.as(e2e.alice);
    const key = await addNote(alice.page, { title: `Keys ${uniq()}`, body: 'word' });
    await openEditor(alice.page, key);
    const content = alice.page.locator('#note-editor .cm-content');
    await content.click();
    await alice.page.keyboard.press('Control+a');
    await alice.page.keyboard.press('Control+b');
    await poll(() => editorText(alice.page)).toBe('**word**');
    await alice.page.keyboard.press('Control+z');
    await poll(() => editorText(alice.page)).toBe('word');
    await alice.page.keyboard.press('Control+a');
    await alice.page.keyboard.press('Control+i');
    await poll(() => editorText(alice.page)).toBe('_word_');
    await alice.page.keyboard.press('Control+a');
    await alice.page.keyboard.press('Control+k');
    await alice.page.keyboard.type('example.org');
    await poll(() => editorText(alice.page)).toBe('[_word_](example.org)');
    await alice.page.keyboard.press('Control+s');
    await poll(() => alice.page.locator('#save-state').textContent()).toBe('Saved');
    await poll(() => alice.page.locator('#note-preview a').getAttribute('href')).toBe('example.org');
    noViolations(alice);
  });

  test('on a phone the preview stacks under the editor; a viewer sees presence but no editor', async () => {
    const alice = await e2e.as(e2e.alice, { viewport: PHONE });
    const key = await addNote(alice.page, { title: `Phone ${uniq()}`, body: 'Some *text* here.' });
    await openEditor(alice.page, key);
    const editorBox = await alice.page.locator('#note-editor').boundingBox();
    const previewBox = await alice.page.locator('#note-preview').boundingBox();
    expect(previewBox!.y).toBeGreaterThan(editorBox!.y + editorBox!.height - 1);
    await screenshot(alice.page, 'collab-phone');

    const reader = await e2e.as(e2e.bob);
    await reader.page.goto(viewUrl(key));
    await reader.page.locator(`#presence [data-user="${e2e.alice.username}"]`).waitFor();
    await expect(reader.page.locator('#note-editor').count()).resolves.toBe(0);
    await expect(reader.page.locator('#notebody em').textContent()).resolves.toBe('text');
    await alice.page.locator(`#presence [data-user="${e2e.bob.username}"]`).waitFor();
    noViolations(reader);
  });
});
