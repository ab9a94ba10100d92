/// <reference lib="dom" />
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, editNote, fillLoginForm, poll, uniq, viewUrl } from './support.js';

const e2e = useE2e('e2e_feedback');

describe('feedback in the browser', () => {
  test('sent to log in from Add note, the login leads back there and says who is logged in', async () => {
    const { page } = await e2e.anonymous();
    await page.goto('/notes/add');
    expect(new URL(page.url()).pathname).toBe('/users/login');
    await fillLoginForm(page, e2e.alice.username, e2e.alice.password);
    await page.waitForURL((url) => url.pathname === '/notes/add');
    await expect(page.locator('#flash[role=status] .alert').textContent()).resolves.toBe(
      `Logged in as ${e2e.alice.username}.`,
    );
    const title = `Flashed ${uniq()}`;
    await page.locator('[name=title]').fill(title);
    await page.locator('[name=body]').fill('Some text.');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/notes/view'),
      page.locator('form[action="/notes/save"] button[type=submit]').click(),
    ]);
    await expect(page.locator('#flash[role=status] .alert').textContent()).resolves.toBe('Note added.');
    await page.reload();
    await expect(page.locator('#flash .alert').count()).resolves.toBe(0);
  });

  test('a note changed elsewhere: a notice, and only what changed is highlighted', async () => {
    const alice = (await e2e.as(e2e.alice)).page;
    const key = await addNote(alice, {
      title: `Live ${uniq()}`,
      body: 'The first paragraph stays.\n\nThe second paragraph changes.',
    });
    const bob = (await e2e.as(e2e.bob)).page;
    await bob.goto(viewUrl(key));
    await expect(bob.locator('#notechanged').textContent()).resolves.toBe('');

    await editNote(alice, key, { body: 'The first paragraph stays.\n\nThe second paragraph is new.' });
    await poll(() => bob.locator('#notebody').textContent()).toContain('is new');
    await expect(bob.locator('#notechanged[role=status]').textContent()).resolves.toMatch(/just changed/);
    const marked = await bob
      .locator('#notebody > *')
      .evaluateAll((els) => els.map((el) => `${el.classList.contains('changed-live')}: ${el.textContent}`));
    expect(marked).toEqual(['false: The first paragraph stays.', 'true: The second paragraph is new.']);
    // The editor's own page says nothing: it already shows that version.
    await expect(alice.locator('#notechanged').textContent()).resolves.toBe('');
  });
});
