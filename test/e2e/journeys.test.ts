/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { type E2eUser, useE2e } from './stack.js';
import {
  addNote,
  commentItems,
  deleteComment,
  editNote,
  fillLoginForm,
  loadMarker,
  login,
  poll,
  postComment,
  uniq,
  viewUrl,
} from './support.js';

const e2e = useE2e('e2e_journeys');

/** A logged-in page for the user. */
async function as(user: E2eUser): Promise<Page> {
  return (await e2e.as(user)).page;
}

/** An anonymous visitor's page. */
async function anonymous(): Promise<Page> {
  return (await e2e.anonymous()).page;
}

/** The links of the home page's note list. */
function homeLinks(page: Page) {
  return page.locator('#notetitles a[href^="/notes/view?key="]');
}

describe('browser journeys', () => {
  test('a wrong password stays on the login form with a visible message; the right one logs in', async () => {
    const page = await anonymous();
    await page.goto('/');
    const header = page.locator('header.page-header');
    await expect(header.locator('a.nav-item[href="/users/login"]').isVisible()).resolves.toBe(true);
    await expect(header.locator('a[href="/users/logout"]').count()).resolves.toBe(0);

    await page.goto('/users/login');
    await fillLoginForm(page, e2e.alice.username, 'not-the-password');
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/users/login');
    await expect(page.locator('form[action="/users/login"]').isVisible()).resolves.toBe(true);
    const message = page.locator('form[action="/users/login"] .alert, main .alert, [role=alert]').first();
    await message.waitFor({ state: 'visible' });
    expect((await message.textContent())?.trim()).toMatch(/password|user ?name|incorrect|invalid|wrong/i);
    await expect(header.locator('a[href="/users/logout"]').count()).resolves.toBe(0);
    // The typed user name is kept, the password is not.
    await expect(page.locator('[name=username]').inputValue()).resolves.toBe(e2e.alice.username);
    await expect(page.locator('[name=password]').inputValue()).resolves.toBe('');

    await fillLoginForm(page, e2e.alice.username, e2e.alice.password);
    await page.waitForURL((url) => url.pathname !== '/users/login');
    await expect(header.locator('a[href="/users/logout"]').textContent()).resolves.toContain(
      e2e.alice.username,
    );
    await expect(header.locator('a[href="/notes/add"]').count()).resolves.toBeGreaterThan(0);
    await expect(header.locator('a.nav-item[href="/users/login"]').count()).resolves.toBe(0);
  });

  test('add and view a note (Markdown rendered), edit it, and a second browser sees the edit live', async () => {
    const alice = await as(e2e.alice);
    const key = `groceries-${uniq()}`;
    const title = `Groceries ${uniq()}`;
    const body = '## Shopping\n\nBuy **fresh** bread and _ripe_ pears.\n\n- milk\n- eggs\n- flour\n';
    expect(await addNote(alice, { key, title, body })).toBe(key);

    await expect(alice.locator('h1#notetitle').textContent()).resolves.toBe(title);
    const rendered = alice.locator('#notebody');
    // `##` sits below the page's h1 (the title): an h3.
    await expect(rendered.locator('h3').textContent()).resolves.toBe('Shopping');
    await expect(rendered.locator('strong').textContent()).resolves.toBe('fresh');
    await expect(rendered.locator('em').textContent()).resolves.toBe('ripe');
    await expect(rendered.locator('li').allTextContents()).resolves.toEqual(['milk', 'eggs', 'flour']);
    expect(await rendered.textContent()).not.toContain('**');
    await expect(alice.locator('a#notedestroy').isVisible()).resolves.toBe(true);

    // Bob (another user) and an anonymous visitor read it; neither may delete it.
    const bob = await as(e2e.bob);
    await bob.goto(viewUrl(key));
    await expect(bob.locator('h1#notetitle').textContent()).resolves.toBe(title);
    await expect(bob.locator('a#notedestroy').count()).resolves.toBe(0);
    const anon = await anonymous();
    await anon.goto('/');
    await expect(homeLinks(anon).filter({ hasText: title }).count()).resolves.toBe(1);
    const bobMarker = await loadMarker(bob);
    const anonMarker = await loadMarker(anon);

    // The edit form is prefilled and saves.
    await alice.goto(`/notes/edit?key=${encodeURIComponent(key)}`);
    const form = alice.locator('form[action="/notes/save"]');
    await expect(form.locator('[name=title]').inputValue()).resolves.toBe(title);
    await expect(form.locator('[name=body]').inputValue()).resolves.toBe(body);
    const newTitle = `${title} (bought)`;
    await editNote(alice, key, { title: newTitle, body: 'All done, with **butter** too.' });
    await expect(alice.locator('h1#notetitle').textContent()).resolves.toBe(newTitle);
    await expect(alice.locator('#notebody strong').textContent()).resolves.toBe('butter');

    // Bob's open page follows without a reload: title and rendered body.
    await poll(() => bob.locator('h1#notetitle').textContent()).toBe(newTitle);
    await poll(() => bob.locator('#notebody strong').first().textContent()).toBe('butter');
    expect(await bob.locator('#notebody li').count()).toBe(0);
    expect(await loadMarker(bob), 'the second browser reloaded the page').toBe(bobMarker);
    // The anonymous home page renames the entry in place.
    await poll(() => homeLinks(anon).filter({ hasText: newTitle }).count()).toBe(1);
    expect(await loadMarker(anon), 'the home page was reloaded').toBe(anonMarker);
  });

  test('a new note appears live at the top of another browser’s home page', async () => {
    const alice = await as(e2e.alice);
    await addNote(alice, { title: `Older ${uniq()}`, body: 'first' });
    const anon = await anonymous();
    await anon.goto('/');
    const marker = await loadMarker(anon);
    const before = await homeLinks(anon).count();

    const title = `Fresh idea ${uniq()}`;
    const key = await addNote(alice, { title, body: 'brand new' });
    const link = homeLinks(anon).filter({ hasText: title });
    await poll(() => link.count()).toBe(1);
    await expect(link.getAttribute('href')).resolves.toBe(viewUrl(key));
    await expect(homeLinks(anon).first().textContent()).resolves.toContain(title);
    expect(await homeLinks(anon).count()).toBe(before + 1);
    expect(await loadMarker(anon), 'the home page was reloaded').toBe(marker);

    // The live link works.
    await link.click();
    await anon.waitForURL((url) => url.pathname === '/notes/view');
    await expect(anon.locator('h1#notetitle').textContent()).resolves.toBe(title);
  });

  test('comments appear live in another browser and disappear live when deleted', async () => {
    const alice = await as(e2e.alice);
    const key = await addNote(alice, { title: `Discuss ${uniq()}`, body: 'What do you think?' });
    const bob = await as(e2e.bob);
    await bob.goto(viewUrl(key));
    const anon = await anonymous();
    await anon.goto(viewUrl(key));
    const aliceMarker = await loadMarker(alice);
    const anonMarker = await loadMarker(anon);

    const text = `Looks good to me ${uniq()}`;
    await postComment(bob, text);
    for (const page of [bob, alice, anon]) {
      const item = commentItems(page).filter({ hasText: text });
      await poll(() => item.count()).toBe(1);
      await expect(item.textContent()).resolves.toContain(e2e.bob.username);
    }
    // Its author and the note's owner may delete it; an anonymous reader may not.
    const deleteButtons = (page: Page) =>
      commentItems(page).filter({ hasText: text }).locator('button.comment-delete');
    await expect(deleteButtons(bob).count()).resolves.toBe(1);
    await expect(deleteButtons(alice).count()).resolves.toBe(1);
    await expect(deleteButtons(anon).count()).resolves.toBe(0);
    const liveTime = await commentItems(alice).filter({ hasText: text }).locator('time').textContent();
    expect(await loadMarker(alice), 'the owner’s page was reloaded').toBe(aliceMarker);
    expect(await loadMarker(anon), 'the anonymous reader’s page was reloaded').toBe(anonMarker);
    // Anonymous readers cannot comment.
    expect(
      await anon.locator('#noteMessages ~ form, form#comment-form, textarea[name=message]').count(),
    ).toBe(0);

    // The comment survives a reload (it was stored), its time reads the same as when it arrived
    // live, then its author deletes it.
    await alice.reload();
    await expect(commentItems(alice).filter({ hasText: text }).count()).resolves.toBe(1);
    expect(liveTime?.trim()).toBeTruthy();
    await expect(commentItems(alice).filter({ hasText: text }).locator('time').textContent()).resolves.toBe(
      liveTime,
    );
    // The owner's own comment reaches Bob without a delete button (neither author nor owner).
    const ownerText = `Thanks ${uniq()}`;
    await postComment(alice, ownerText);
    const ownerComment = commentItems(bob).filter({ hasText: ownerText });
    await poll(() => ownerComment.count()).toBe(1);
    await expect(ownerComment.locator('button.comment-delete').count()).resolves.toBe(0);

    await deleteComment(bob, text);
    for (const page of [bob, alice, anon]) {
      await poll(() => commentItems(page).filter({ hasText: text }).count()).toBe(0);
    }
    await alice.reload();
    await expect(commentItems(alice).filter({ hasText: text }).count()).resolves.toBe(0);
  });

  test('a note shows its newest 20 comments and loads the older ones on request', async () => {
    const alice = await as(e2e.alice);
    await addNote(alice, { title: `Busy thread ${uniq()}`, body: 'many comments' });
    const texts = Array.from({ length: 23 }, (_, i) => `comment number ${String(i + 1).padStart(2, '0')}`);
    for (const text of texts) await postComment(alice, text);
    await alice.reload();
    const shown = () => commentItems(alice).locator('.message-text').allTextContents();
    // Newest first: 23 … 4 on the page, 3 … 1 behind the button.
    await expect(commentItems(alice).count()).resolves.toBe(20);
    expect((await commentItems(alice).first().textContent())?.includes(texts[22]!)).toBe(true);
    expect((await commentItems(alice).last().textContent())?.includes(texts[3]!)).toBe(true);
    const older = alice.getByRole('button', { name: /older/i });
    await expect(older.isVisible()).resolves.toBe(true);
    await older.click();
    await poll(() => commentItems(alice).count()).toBe(23);
    const all = (await shown()).map((t) => t.trim()).filter((t) => t.startsWith('comment number'));
    expect(all).toEqual([...texts].reverse());
    await poll(() => older.isVisible()).toBe(false);
  });

  test('deleting a note asks for confirmation, removes it, and tells a browser viewing it', async () => {
    const alice = await as(e2e.alice);
    const title = `Temporary ${uniq()}`;
    const key = await addNote(alice, { title, body: 'short-lived content' });
    const bob = await as(e2e.bob);
    await bob.goto(viewUrl(key));
    const anon = await anonymous();
    await anon.goto('/');
    await expect(homeLinks(anon).filter({ hasText: title }).count()).resolves.toBe(1);

    await alice.locator('a#notedestroy').click();
    await alice.waitForURL((url) => url.pathname === '/notes/destroy');
    const confirm = alice.locator('form[action="/notes/destroy/confirm"]');
    await confirm.waitFor({ state: 'visible' });
    await expect(alice.locator('h1#notetitle').count()).resolves.toBeLessThanOrEqual(1);
    // Nothing is deleted before the confirmation is submitted.
    await bob.reload();
    await expect(bob.locator('h1#notetitle').textContent()).resolves.toBe(title);

    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/'),
      confirm.locator('[type=submit]').click(),
    ]);
    await expect(homeLinks(alice).filter({ hasText: title }).count()).resolves.toBe(0);

    // Bob, who was looking at it, is sent away or told it is gone.
    await poll(async () => {
      const url = new URL(bob.url());
      if (url.pathname !== '/notes/view') return 'left';
      // biome-ignore lint/performance/useDomNodeTextContent: only what the user can see counts here
      const text = await bob.locator('body').innerText();
      return /deleted|removed|no longer exists/i.test(text) ? 'told' : 'unaware';
    }).not.toBe('unaware');
    // The anonymous home page drops it live.
    await poll(() => homeLinks(anon).filter({ hasText: title }).count()).toBe(0);

    const gone = await alice.goto(viewUrl(key));
    expect(gone?.status()).toBe(404);
  });

  test('logging out returns home as an anonymous visitor', async () => {
    // A session of its own (logging out the shared one would log out the other tests).
    const alice = await anonymous();
    await login(alice, e2e.alice.username, e2e.alice.password);
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/'),
      alice.locator('header.page-header a[href="/users/logout"]').click(),
    ]);
    const header = alice.locator('header.page-header');
    await expect(header.locator('a.nav-item[href="/users/login"]').isVisible()).resolves.toBe(true);
    await expect(header.locator('a[href="/users/logout"]').count()).resolves.toBe(0);
    await expect(header.locator('a[href="/notes/add"]').count()).resolves.toBe(0);
    // The session is really gone: adding a note asks for a login again.
    await alice.goto('/notes/add');
    expect(new URL(alice.url()).pathname).toBe('/users/login');
  });

  test('a cross-site link to the logout shows a button instead of logging out; the button logs out', async () => {
    const alice = await anonymous();
    await login(alice, e2e.alice.username, e2e.alice.password);
    const app = new URL(e2e.stack().url);
    // Another site (localhost is not the same site as 127.0.0.1) links to the logout, as an attacker's
    // page would: Chromium sends that navigation with Sec-Fetch-Site: cross-site and the Lax cookie.
    const elsewhere = new URL(app.href);
    elsewhere.hostname = 'localhost';
    await alice.goto(elsewhere.href);
    await alice.evaluate((target) => {
      const a = document.createElement('a');
      a.href = target;
      a.id = 'cross-site-logout';
      a.textContent = 'free prizes';
      document.body.append(a);
    }, `${app.origin}/users/logout`);
    await Promise.all([
      alice.waitForURL((url) => url.host === app.host && url.pathname === '/users/logout'),
      alice.locator('#cross-site-logout').click(),
    ]);
    const header = alice.locator('header.page-header');
    await expect(header.locator('a[href="/users/logout"]').textContent()).resolves.toContain(
      e2e.alice.username,
    );
    await Promise.all([
      alice.waitForURL((url) => url.pathname === '/'),
      alice.locator('form[action="/users/logout"] button[type=submit]').click(),
    ]);
    await expect(header.locator('a.nav-item[href="/users/login"]').isVisible()).resolves.toBe(true);
    await expect(header.locator('a[href="/users/logout"]').count()).resolves.toBe(0);
  });

  test('an unknown URL and an unknown note show the Not Found page', async () => {
    const anon = await anonymous();
    const res = await anon.goto(`/no/such/page-${uniq()}`);
    expect(res?.status()).toBe(404);
    await expect(anon.locator('h1').first().textContent()).resolves.toMatch(/^\s*Not Found\s*$/);
    await expect(anon.locator('h2').first().textContent()).resolves.toMatch(/^\s*404\s*$/);
    await expect(anon.locator('header.page-header').count()).resolves.toBe(1);

    const note = await anon.goto(viewUrl(`missing-${uniq()}`));
    expect(note?.status()).toBe(404);
    await expect(anon.locator('h1').first().textContent()).resolves.toMatch(/^\s*Not Found\s*$/);
    await expect(anon.locator('h2').first().textContent()).resolves.toMatch(/^\s*404\s*$/);
    expect(await anon.locator('body').textContent()).not.toMatch(/\n\s+at \S+ \(|node_modules|Error:/);
  });
});
