/// <reference lib="dom" />
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, editNote, loadMarker, poll, screenshot, viewUrl } from './support.js';

// Every save its own revision here, so that a few quick edits make a history to look at.
const e2e = useE2e('e2e_history', { notesEnv: { NOTES_REVISION_MERGE_SECONDS: '0' } });

describe('history in the browser', () => {
  test('an editor restores an old revision from its page; a reader on the note sees it at once', async () => {
    const alice = await e2e.as(e2e.alice);
    const page = alice.page;
    const key = await addNote(page, {
      title: 'Trip plan',
      body: 'Day 1: Lisbon\nDay 2: Sintra\nDay 3: Porto\nPack: hat, sunscreen',
    });
    await editNote(page, key, {
      body: 'Day 1: Lisbon\nDay 2: Évora <script>window.__xss = 1</script>\nDay 3: Porto\nPack: hat, sunscreen, <b>boots</b>',
    });
    await editNote(page, key, { title: 'Trip plan (final)', body: 'Day 1: Madrid\nDay 3: Porto' });

    const reader = (await e2e.as(e2e.bob)).page;
    await reader.goto(viewUrl(key));
    await expect(reader.locator('#notebody').textContent()).resolves.toContain('Madrid');
    const loaded = await loadMarker(reader);

    await page.goto(viewUrl(key));
    await page.locator('a#notehistory').click();
    await page.waitForURL((url) => url.pathname === '/notes/history');
    const rows = page.locator('#revisions [data-rev]');
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rev')))).resolves.toEqual([
      '3',
      '2',
      '1',
    ]);
    await expect(rows.first().textContent()).resolves.toContain('current');
    await screenshot(page, 'history-list');

    // Revision 2 against revision 1: the line and the words that changed, markup shown as text.
    await page.locator('#revisions [data-rev="2"] a.revision-link').click();
    await page.waitForURL((url) => url.pathname === '/notes/revision');
    const diff = page.locator('#diff');
    await expect(diff.locator('.diff-del del').first().textContent()).resolves.toBe('Sintra');
    await expect(diff.locator('.diff-add ins').first().textContent()).resolves.toContain('Évora <script>');
    await expect(diff.locator('.diff-add').first().textContent()).resolves.toContain('Added:');
    await expect(page.locator('#revision-body').textContent()).resolves.toContain(
      '<script>window.__xss = 1</script>',
    );
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await screenshot(page, 'history-diff');

    // Compare any two: 1 → 3 from the history page's radio buttons.
    await page.goto(`/notes/history?key=${encodeURIComponent(key)}`);
    await page.locator('#revisions [data-rev="1"] input[name=compare]').check();
    await page.locator('#revisions [data-rev="3"] input[name=rev]').check();
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('compare') === '1'),
      page.locator('#compare-form button[type=submit]').click(),
    ]);
    await expect(page.locator('#diff-heading').textContent()).resolves.toContain('from revision 1');
    await expect(page.locator('#diff .diff-del .diff-text').allTextContents()).resolves.toContain(
      'Removed: Day 2: Sintra',
    );

    // Restore revision 1: it becomes revision 4; the reader's open page shows it without a reload.
    await page.goto(`/notes/revision?key=${encodeURIComponent(key)}&rev=1`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/notes/view'),
      page.locator('#restore-form button[type=submit]').click(),
    ]);
    await expect(page.locator('#notetitle').textContent()).resolves.toBe('Trip plan');
    await expect(page.locator('#notebody').textContent()).resolves.toContain('Sintra');
    await poll(() => reader.locator('#notebody').textContent()).toContain('Sintra');
    await poll(() => reader.locator('#notetitle').textContent()).toBe('Trip plan');
    expect(await loadMarker(reader)).toBe(loaded);

    await page.goto(`/notes/history?key=${encodeURIComponent(key)}`);
    await expect(page.locator('#revisions [data-rev="4"]').textContent()).resolves.toContain(
      'restored from 1',
    );

    // A reader sees the history but no restore button; a restore posted anyway is refused.
    await reader.goto(`/notes/revision?key=${encodeURIComponent(key)}&rev=2`);
    await expect(reader.locator('#restore-form').count()).resolves.toBe(0);
  });
});
