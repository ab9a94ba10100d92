/// <reference lib="dom" />
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, loadMarker, poll, screenshot, uniq, viewUrl } from './support.js';

const e2e = useE2e('e2e_trash');

describe('trash in the browser', () => {
  test('a deleted note leaves a reader’s page at once, waits in the owner’s trash and comes back', async () => {
    const alice = (await e2e.as(e2e.alice)).page;
    const title = `Garden plan ${uniq()}`;
    const key = await addNote(alice, { title, body: 'Tomatoes by the wall, beans by the fence.' });
    const other = await addNote(alice, { title: `Shed inventory ${uniq()}`, body: 'Rake, spade, hose.' });

    const reader = (await e2e.as(e2e.bob)).page;
    await reader.goto(viewUrl(key));
    const loaded = await loadMarker(reader);

    // Delete both: the confirmation says where they go.
    for (const k of [key, other]) {
      await alice.goto(viewUrl(k));
      await alice.locator('a#notedestroy').click();
      await expect(alice.locator('form[action="/notes/destroy/confirm"]').textContent()).resolves.toContain(
        'trash',
      );
      await Promise.all([
        alice.waitForURL((url) => url.pathname === '/'),
        alice.locator('form[action="/notes/destroy/confirm"] button[type=submit]').click(),
      ]);
    }
    await poll(() => reader.locator('#notegone').isVisible()).toBe(true);
    expect(await loadMarker(reader)).toBe(loaded);
    await expect(alice.locator(`#notetitles a[href="${viewUrl(key)}"]`).count()).resolves.toBe(0);

    await alice.locator('header a[href="/trash"]').click();
    await alice.waitForURL((url) => url.pathname === '/trash');
    const item = alice.locator(`#trash-items [data-key="${key}"]`);
    await expect(item.textContent()).resolves.toContain(title);
    await expect(alice.locator('#trash-items [data-id]').count()).resolves.toBe(2);
    await screenshot(alice, 'trash-list');

    // Bob's trash is his own: empty.
    await reader.goto('/trash');
    await expect(reader.locator('#trash-items [data-id]').count()).resolves.toBe(0);
    await expect(reader.locator('#trash-none').isVisible()).resolves.toBe(true);

    // Restore: back under its key, on Bob's home list too.
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/notes/view'),
      item.locator('button.trash-restore').click(),
    ]);
    expect(new URL(alice.url()).searchParams.get('key')).toBe(key);
    await expect(alice.locator('#notetitle').textContent()).resolves.toBe(title);
    await reader.goto('/');
    await expect(reader.locator(`#notetitles a[href="${viewUrl(key)}"]`).count()).resolves.toBe(1);

    // Empty trash asks first.
    await alice.goto('/trash');
    await alice.locator('a#trash-empty').click();
    await alice.waitForURL((url) => url.pathname === '/trash/empty');
    await expect(alice.locator('#trash-empty-form').textContent()).resolves.toContain('cannot be undone');
    await screenshot(alice, 'trash-empty-confirm');
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/trash'),
      alice.locator('#trash-empty-form button[type=submit]').click(),
    ]);
    await expect(alice.locator('#trash-items [data-id]').count()).resolves.toBe(0);
    expect((await alice.goto(viewUrl(other)))?.status()).toBe(404);
  });
});
