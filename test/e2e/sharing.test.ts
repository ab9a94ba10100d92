/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { loadMarker, poll, uniq, viewUrl } from './support.js';

const e2e = useE2e('e2e_sharing');

/** Adds a note through /notes/add with the chosen visibility; resolves with its key. */
async function addNoteWith(page: Page, title: string, visibility: string): Promise<string> {
  await page.goto('/notes/add');
  const form = page.locator('form[action="/notes/save"]');
  await form.locator('[name=title]').fill(title);
  await form.locator('[name=body]').fill(`Body of ${title}`);
  await form.locator('select[name=visibility]').selectOption(visibility);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/notes/view'),
    form.locator('button[type=submit]').click(),
  ]);
  return new URL(page.url()).searchParams.get('key')!;
}

describe('visibility in the browser', () => {
  test('a note turned private disappears live from another user’s home page and note page', async () => {
    const alice = (await e2e.as(e2e.alice)).page;
    const title = `Team plans ${uniq()}`;
    const key = await addNoteWith(alice, title, 'team');
    await expect(alice.locator('#notevisibility').textContent()).resolves.toBe('team');

    const bobHome = (await e2e.as(e2e.bob)).page;
    await bobHome.goto('/');
    const link = bobHome.locator(`#notetitles a[href="${viewUrl(key)}"]`);
    await expect(link.textContent()).resolves.toContain(title);
    await expect(link.locator('.note-visibility').textContent()).resolves.toBe('team');
    const bobNote = (await e2e.as(e2e.bob)).page;
    await bobNote.goto(viewUrl(key));
    await expect(bobNote.locator('#notetitle').textContent()).resolves.toBe(title);
    const homeLoaded = await loadMarker(bobHome);
    const noteLoaded = await loadMarker(bobNote);

    // An anonymous visitor never sees a team note.
    const anon = (await e2e.anonymous()).page;
    await anon.goto('/');
    await expect(anon.locator(`#notetitles a[href="${viewUrl(key)}"]`).count()).resolves.toBe(0);
    expect((await anon.goto(viewUrl(key)))?.status()).toBe(404);

    // Alice makes it private: only she may read it now.
    await alice.goto(`/notes/edit?key=${encodeURIComponent(key)}`);
    const form = alice.locator('form[action="/notes/save"]');
    await expect(form.locator('select[name=visibility]').inputValue()).resolves.toBe('team');
    await form.locator('select[name=visibility]').selectOption('private');
    await form.locator('[name=title]').fill(`${title} (secret)`);
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/notes/view'),
      form.locator('button[type=submit]').click(),
    ]);
    await expect(alice.locator('#notevisibility').textContent()).resolves.toBe('private');

    // Bob's open pages drop it without a reload, and never show the new title.
    await poll(() => link.count()).toBe(0);
    await bobNote.locator('#noteunavailable').waitFor({ state: 'visible' });
    await poll(() => bobNote.locator('#notebody').textContent()).toBe('');
    expect(await bobNote.locator('#notetitle').textContent()).not.toContain('secret');
    expect(await bobHome.content()).not.toContain('(secret)');
    expect(await loadMarker(bobHome)).toBe(homeLoaded);
    expect(await loadMarker(bobNote)).toBe(noteLoaded);
    // And a reload says 404, like a note that does not exist.
    expect((await bobNote.goto(viewUrl(key)))?.status()).toBe(404);
  });

  test('the owner shares a private note with a viewer, who then reads it and may not edit it', async () => {
    const alice = (await e2e.as(e2e.alice)).page;
    const title = `Shared ${uniq()}`;
    const key = await addNoteWith(alice, title, 'private');
    await alice.locator('#noteshare').click();
    await alice.waitForURL((url) => url.pathname === '/notes/share');
    const form = alice.locator('form[action="/notes/share"]');
    await form.locator('[name=username]').fill(`nobody_${uniq()}`);
    await form.locator('[type=submit]').click();
    await expect(alice.locator('#formmessage').textContent()).resolves.toMatch(/no user named/);
    await form.locator('[name=username]').fill(e2e.bob.username);
    await form.locator('[name=role]').selectOption('viewer');
    await form.locator('[type=submit]').click();
    await alice.locator(`#grants [data-username="${e2e.bob.username}"]`).waitFor();

    const bob = (await e2e.as(e2e.bob)).page;
    await bob.goto('/?filter=shared');
    await expect(bob.locator(`#notetitles a[href="${viewUrl(key)}"]`).count()).resolves.toBe(1);
    await bob.goto(viewUrl(key));
    await expect(bob.locator('#notetitle').textContent()).resolves.toBe(title);
    await expect(bob.locator('#noteedit').count()).resolves.toBe(0);
    await expect(bob.locator('form#comment-form').count()).resolves.toBe(1);
  });
});
