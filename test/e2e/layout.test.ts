/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, DESKTOP, PHONE, postComment, screenshot, uniq, viewUrl } from './support.js';

// An e-mail-like user name (allowed by userauth) shows how the header copes with a long name.
const e2e = useE2e('e2e_layout', { aliceName: `alexandra.montgomery-${uniq()}@example.org` });

const NOTE_BODY = [
  '## Trip to the coast',
  '',
  'We leave on **Friday at 8:00**. Bring _sunscreen_, water and `snacks`.',
  '',
  '1. Pack the car',
  '2. Check the tyres',
  '3. Pick up Sam',
  '',
  '> The forecast says sunny, 24 °C.',
  '',
  'Booking: https://example.com/bookings/2025/coastal-cottage-reservation-confirmation-number-ABCDEFGHIJ0123456789',
  '',
  '```',
  'ferry  09:45  pier 3',
  'return 18:10  pier 1',
  '```',
].join('\n');

interface Overflow {
  innerWidth: number;
  scrollWidth: number;
  viewportMeta: string;
  /** Visible elements sticking out on the right, e.g. "PRE 512px". */
  wide: string[];
}

/** Whether anything is wider than the window (which forces sideways scrolling on a phone). */
function overflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const innerWidth = window.innerWidth;
    const wide: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > innerWidth + 1) {
        // Report only the outermost offender, not each of its children, and nothing that a
        // clipping or scrolling box (text-truncate, a scrollable code block) keeps inside.
        const parent = el.parentElement?.getBoundingClientRect();
        if (parent && parent.right > innerWidth + 1) continue;
        let contained = false;
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') contained = true;
        }
        if (contained) continue;
        wide.push(`${el.tagName}${el.id ? `#${el.id}` : ''} right=${Math.round(r.right)}px`);
      }
    }
    return {
      innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      viewportMeta:
        document.querySelector('meta[name=viewport]')?.getAttribute('content') ?? '(no meta viewport)',
      wide,
    };
  });
}

async function expectNoHorizontalOverflow(page: Page, where: string, width: number): Promise<void> {
  const o = await overflow(page);
  expect(o.viewportMeta, `${where}: meta viewport`).toMatch(/width=device-width/);
  expect(o.innerWidth, `${where}: layout width`).toBe(width);
  expect({ scrollWidth: o.scrollWidth, wide: o.wide }, where).toEqual({ scrollWidth: width, wide: [] });
}

/** Fails when the element is hidden or not fully inside the window horizontally. */
async function expectWithinWidth(page: Page, selector: string, width: number): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  expect(box, `${selector} is visible`).not.toBeNull();
  expect(box!.x, `${selector} left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${selector} right edge`).toBeLessThanOrEqual(width + 1);
}

/** The header's link is visible, or becomes visible after opening the collapsed menu. */
async function expectNavLinkReachable(page: Page, selector: string): Promise<void> {
  const link = page.locator(`header.page-header ${selector}`).first();
  if (!(await link.isVisible())) {
    const toggler = page
      .locator('header.page-header .navbar-toggler, header.page-header [aria-controls]')
      .first();
    expect(await toggler.isVisible(), `${selector} hidden and no visible menu button`).toBe(true);
    await toggler.click();
  }
  await link.waitFor({ state: 'visible' });
  await expect(
    link.boundingBox().then((b) => (b ? b.x + b.width : Number.POSITIVE_INFINITY)),
  ).resolves.toBeLessThanOrEqual(page.viewportSize()!.width + 1);
}

describe('pages on a desktop and on a phone', () => {
  let key = '';

  test('a logged-in user’s home, note and edit pages: screenshots, desktop and phone', async () => {
    const { page: alice } = await e2e.as(e2e.alice);
    for (const title of ['Team meeting notes', 'Recipe: lemon cake', 'Books to read this summer']) {
      await addNote(alice, { title: `${title} ${uniq()}`, body: `About ${title.toLowerCase()}.` });
    }
    key = await addNote(alice, {
      key: `trip-${uniq()}`,
      title: 'Weekend trip to the coast',
      body: NOTE_BODY,
    });
    await postComment(alice, 'I will bring the picnic blanket.');
    const { page: bob } = await e2e.as(e2e.bob);
    await bob.goto(viewUrl(key));
    await postComment(bob, 'Can we leave at 9 instead? The ferry is at 9:45 anyway.');

    for (const [device, options] of [
      ['desktop', { viewport: DESKTOP }],
      ['phone', { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
    ] as const) {
      const { page } = await e2e.as(e2e.alice, options);
      const width = options.viewport.width;

      await page.goto('/');
      await page.locator('#notetitles a').first().waitFor();
      expect(await page.locator('#notetitles a[href^="/notes/view?key="]').count()).toBeGreaterThanOrEqual(4);
      await screenshot(page, `home-${device}`);
      await expectNoHorizontalOverflow(page, `home (${device})`, width);
      await expectWithinWidth(page, '#notetitles a', width);
      await expectNavLinkReachable(page, 'a[href="/notes/add"]');

      await page.goto(viewUrl(key));
      await page.locator('#noteMessages').getByText('picnic blanket').waitFor();
      await screenshot(page, `note-${device}`);
      await expectNoHorizontalOverflow(page, `note (${device})`, width);
      await expectWithinWidth(page, 'h1#notetitle', width);
      // An editor of the note gets the editor and its preview in place of the rendered body.
      await expectWithinWidth(page, '#notebody:visible, #note-collab:visible', width);
      await expectWithinWidth(page, '#noteMessages', width);
      await expectWithinWidth(page, 'a#notedestroy', width);

      await page.goto(`/notes/edit?key=${encodeURIComponent(key)}`);
      await screenshot(page, `edit-${device}`);
      await expectNoHorizontalOverflow(page, `edit (${device})`, width);
      for (const field of ['[name=title]', '[name=body]', 'form[action="/notes/save"] button[type=submit]']) {
        await expectWithinWidth(page, field, width);
      }
    }
  });

  test('the signed-in header on a 375 px phone: nothing overlaps, no item wraps inside itself', async () => {
    const { page } = await e2e.as(e2e.alice, {
      viewport: { width: 375, height: 700 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    await page.goto('/');
    await screenshot(page, 'header-phone-375');
    await expectNoHorizontalOverflow(page, 'home (375 px)', 375);
    const boxes = await page.evaluate(() => {
      const items = document.querySelectorAll(
        'header.page-header .navbar-brand, header.page-header .header-search, header.page-header nav > :not([hidden])',
      );
      return Array.from(items, (el) => {
        const r = el.getBoundingClientRect();
        const css = getComputedStyle(el);
        const line = Number.parseFloat(css.lineHeight) || 24;
        const inner = r.height - Number.parseFloat(css.paddingTop) - Number.parseFloat(css.paddingBottom);
        const text = (el as HTMLElement).innerText.trim().replace(/\s+/g, ' ');
        return {
          text: text || el.className,
          x: r.x,
          y: r.y,
          w: r.width,
          h: r.height,
          lines: Math.round(r.height / line),
        };
      });
    });
    const overlaps: string[] = [];
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        if (a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1)
          overlaps.push(`${a.text} / ${b.text}`);
    expect(overlaps).toEqual([]);
    // Every link on one line of its own text (a "Log out" broken in two reads as two items).
    expect(boxes.filter((b) => b.lines > 1 && !b.text.includes('form')).map((b) => b.text)).toEqual([]);
    for (const b of boxes) expect(b.x + b.w, b.text).toBeLessThanOrEqual(376);
    // Compact: the name, one or two rows of links, the search (it took 191 px with loose rows).
    const header = await page.locator('header.page-header').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(170);
  });

  test('an anonymous visitor’s home page and the login form fit a phone', async () => {
    const { page } = await e2e.anonymous({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    await page.goto('/');
    await screenshot(page, 'home-anonymous-phone');
    await expectNoHorizontalOverflow(page, 'anonymous home (phone)', PHONE.width);
    await expectNavLinkReachable(page, 'a.nav-item[href="/users/login"]');
    await page.goto('/users/login');
    await screenshot(page, 'login-phone');
    await expectNoHorizontalOverflow(page, 'login (phone)', PHONE.width);
    for (const field of ['[name=username]', '[name=password]', 'form[action="/users/login"] [type=submit]']) {
      await expectWithinWidth(page, field, PHONE.width);
    }
    await page.goto(`/nowhere-${uniq()}`);
    await screenshot(page, 'not-found-phone');
    await expectNoHorizontalOverflow(page, 'not found (phone)', PHONE.width);
  });
});
