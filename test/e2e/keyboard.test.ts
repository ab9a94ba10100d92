/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { commentItems, uniq } from './support.js';

const e2e = useE2e('e2e_keyboard');

/**
 * Presses Tab until the focus is on `selector` (at most `max` times), as a keyboard user would; the
 * element must then show a focus indicator (an outline or Bootstrap's focus shadow).
 */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector);
    if (!here) continue;
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement as Element);
      return s.outlineStyle !== 'none' && s.outlineWidth !== '0px'
        ? 'outline'
        : s.boxShadow !== 'none'
          ? 'shadow'
          : 'none';
    });
    expect(ring, `${selector} shows where the focus is`).not.toBe('none');
    return;
  }
  throw new Error(`${selector} not reached with ${max} presses of Tab`);
}

async function enterAndWait(page: Page, path: string): Promise<void> {
  await Promise.all([page.waitForURL((url) => url.pathname === path), page.keyboard.press('Enter')]);
}

describe('keyboard only', () => {
  test('sign in, add a note, edit it, comment on it and delete it without a mouse', async () => {
    const { page } = await e2e.anonymous();
    await page.goto('/');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await expect(page.locator('.skip-link').isVisible()).resolves.toBe(true);

    await tabTo(page, 'a[href="/users/login"]');
    await enterAndWait(page, '/users/login');
    await tabTo(page, '[name=username]');
    await page.keyboard.type(e2e.alice.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(e2e.alice.password);
    await enterAndWait(page, '/');
    await expect(page.locator('#flash').textContent()).resolves.toContain('Logged in as');

    await tabTo(page, 'a[href="/notes/add"]');
    await enterAndWait(page, '/notes/add');
    const title = `Typed ${uniq()}`;
    await tabTo(page, '[name=title]');
    await page.keyboard.type(title);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Written with the keyboard.');
    await tabTo(page, 'form[action="/notes/save"] button[type=submit]');
    await enterAndWait(page, '/notes/view');
    await expect(page.locator('#notetitle').textContent()).resolves.toBe(title);

    await tabTo(page, '#noteedit');
    await enterAndWait(page, '/notes/edit');
    await tabTo(page, '[name=title]');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(`${title} (edited)`);
    await tabTo(page, 'form[action="/notes/save"] button[type=submit]');
    await enterAndWait(page, '/notes/view');
    await expect(page.locator('#notetitle').textContent()).resolves.toBe(`${title} (edited)`);
    await expect(page.locator('#flash').textContent()).resolves.toContain('Note saved');

    await tabTo(page, '#comment-message');
    await page.keyboard.type('A comment from the keyboard.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await commentItems(page).filter({ hasText: 'A comment from the keyboard.' }).waitFor();

    await page.keyboard.press('Shift+Tab'); // back up the page, to the note's actions
    await tabTo(page, '#notedestroy', 60);
    await enterAndWait(page, '/notes/destroy');
    await tabTo(page, 'form[action="/notes/destroy/confirm"] button[type=submit]');
    await enterAndWait(page, '/');
    await expect(page.locator('#flash').textContent()).resolves.toContain('to the trash');
    await expect(page.locator('#notetitles').textContent()).resolves.not.toContain(title);
  });
});
