/// <reference lib="dom" />
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { screenshot, uniq, viewUrl } from './support.js';

const e2e = useE2e('e2e_search', { notesEnv: { NOTES_DEFAULT_VISIBILITY: 'public' } });

describe('search and tags in the browser', () => {
  test('the header box finds a note by a CJK word and an accent-free word; results are marked, ranked and escaped', async () => {
    const alice = (await e2e.as(e2e.alice)).page;
    const word = `zq${uniq()}`.toLowerCase();
    const add = async (title: string, body: string, tags = '') => {
      await alice.goto('/notes/add');
      const form = alice.locator('form[action="/notes/save"]');
      await form.locator('[name=title]').fill(title);
      await form.locator('[name=body]').fill(body);
      await form.locator('[name=tags]').fill(tags);
      await Promise.all([
        alice.waitForURL((url) => url.pathname === '/notes/view'),
        form.locator('button[type=submit]').click(),
      ]);
      return new URL(alice.url()).searchParams.get('key') ?? '';
    };
    const bodyHit = await add(
      'Kyoto trip',
      `東京都庁へ行きました。Café ${word} <b>not bold</b> #travel`,
      'Japan',
    );
    const titleHit = await add(`Crème ${word}`, 'plain text');

    // The search box of the header, on any page.
    await alice.goto(viewUrl(bodyHit));
    const box = alice.locator('header.page-header input[name=q]');
    await box.fill(`creme ${word}`);
    await Promise.all([alice.waitForURL((url) => url.pathname === '/search'), box.press('Enter')]);
    await expect(
      alice
        .locator('#search-results [data-key]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))),
    ).resolves.toEqual([titleHit]);
    await expect(alice.locator('#search-results mark').first().textContent()).resolves.toBe('Crème');

    await alice.goto(`/search?q=${encodeURIComponent(word)}`);
    // The title match first, then the body match.
    await expect(
      alice
        .locator('#search-results [data-key]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))),
    ).resolves.toEqual([titleHit, bodyHit]);
    const snippet = alice.locator(`#search-results [data-key="${bodyHit}"] .search-snippet`);
    await expect(snippet.locator('b').count()).resolves.toBe(0);
    await expect(snippet.locator('mark').allTextContents()).resolves.toEqual([word]);

    await alice.goto(`/search?q=${encodeURIComponent('京都')}`);
    await expect(
      alice.locator(`#search-results [data-key="${bodyHit}"] .search-snippet mark`).textContent(),
    ).resolves.toBe('京都');
    await screenshot(alice, 'search-results-desktop');

    // Tags: chips on the note, a click lists the tag's notes.
    await alice.goto(viewUrl(bodyHit));
    await expect(alice.locator('#notetags .tag-chip').allTextContents()).resolves.toEqual([
      '#japan',
      '#travel',
    ]);
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/tags/travel'),
      alice.locator('#notetags .tag-chip[data-tag="travel"]').click(),
    ]);
    await expect(
      alice.locator(`#notetitles [data-key="${bodyHit}"] .note-preview`).textContent(),
    ).resolves.toContain('東京都庁へ行きました');
    await screenshot(alice, 'tag-page-desktop');
    await alice.goto('/');
    await expect(
      alice.locator(`#notetitles [data-key="${bodyHit}"] .tag-chip`).allTextContents(),
    ).resolves.toEqual(['#japan', '#travel']);
    await expect(
      alice.locator(`#notetitles [data-key="${bodyHit}"] time.note-changed`).getAttribute('title'),
    ).resolves.toMatch(/UTC$/);
    await screenshot(alice, 'home-list-desktop');
  });
});
