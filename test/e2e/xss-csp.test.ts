/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { type E2eUser, useE2e } from './stack.js';
import { addNote, commentItems, editNote, type Probed, poll, postComment, uniq, viewUrl } from './support.js';

const e2e = useE2e('e2e_xss');

/**
 * Every payload, if it ever ran, sets window.__xss to its own label and opens a dialog. The title
 * has to be one line; the body is Markdown with raw HTML in it.
 */
const TITLE_PAYLOAD =
  `T<script>window.__xss='title-script';alert('title-script')</script>` +
  `<img src=x onerror="window.__xss='title-img';alert('title-img')"><b onmouseover="window.__xss='title-on'">b</b>`;

const BODY_PAYLOAD = [
  'Body text <script>window.__xss="body-script";alert("body-script")</script>',
  '',
  "<img src=x onerror=\"window.__xss='body-img';alert('body-img')\">",
  '',
  "[markdown link](javascript:window.__xss='body-mdlink';alert(1))",
  '',
  '<a id="x-a" href="javascript:window.__xss=\'body-alink\';alert(2)">html link</a>',
  '',
  '<p onclick="window.__xss=\'body-onclick\'">click me</p>',
  '',
  '<svg onload="window.__xss=\'body-svg\'"><circle r="5"/></svg>',
  '',
  '<iframe src="javascript:window.__xss=\'body-iframe\'"></iframe>',
  '',
  '<form action="javascript:window.__xss=\'body-form\'"><button>go</button></form>',
  '',
  '<object data="javascript:window.__xss=\'body-object\'"></object>',
].join('\n');

const COMMENT_PAYLOAD =
  `C<script>window.__xss='comment-script';alert('comment-script')</script>` +
  `<img src=x onerror="window.__xss='comment-img';alert('comment-img')">` +
  `<a href="javascript:window.__xss='comment-link'">comment link</a>`;

interface DomFindings {
  xss: unknown;
  inlineScripts: string[];
  handlerAttributes: string[];
  scriptUrls: string[];
  dangerousElements: string[];
  scriptCspViolations: string[];
}

/** What in the page could run a payload: inline scripts, on* attributes, javascript: URLs, frames. */
function findings(page: Page): Promise<DomFindings> {
  return page.evaluate(() => {
    const w = window as unknown as { __xss?: unknown; __csp?: { directive: string; effective: string }[] };
    const all = [...document.querySelectorAll('*')];
    const describe = (el: Element) => el.outerHTML.slice(0, 120);
    return {
      xss: w.__xss,
      inlineScripts: [...document.scripts]
        .filter((s) => !s.src && !/json/i.test(s.type))
        .map((s) => s.outerHTML.slice(0, 120)),
      handlerAttributes: all
        .filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on')))
        .map(describe),
      scriptUrls: all
        .filter((el) =>
          [...el.attributes].some((a) =>
            /^\s*(javascript|vbscript|data:text\/html)/i.test(a.value.replace(/\p{Cc}/gu, '')),
          ),
        )
        .map(describe),
      dangerousElements: [
        ...document.querySelectorAll(
          [
            ...['#notetitle', '#notebody'].flatMap((c) =>
              ['iframe', 'object', 'embed', 'script', 'base', 'meta', 'form', 'style'].map(
                (t) => `${c} ${t}`,
              ),
            ),
            ...['#noteMessages', '#notetitles'].flatMap((c) =>
              ['iframe', 'object', 'embed', 'script', 'base', 'meta'].map((t) => `${c} ${t}`),
            ),
          ].join(', '),
        ),
      ].map(describe),
      scriptCspViolations: (w.__csp ?? [])
        .filter((v) => /^script-src/.test(v.effective))
        .map((v) => `${v.effective}: ${JSON.stringify(v)}`),
    };
  });
}

/** Fails when anything from a payload ran, or survived in the page in a form that could run. */
async function expectInert(probed: Probed, where: string): Promise<void> {
  const { page } = probed;
  // Try the obvious triggers a reader would: hover and click what payloads may have left behind.
  for (const text of ['click me', 'html link', 'markdown link', 'comment link']) {
    const target = page.getByText(text, { exact: true }).first();
    if (await target.count()) {
      await target.hover({ timeout: 2_000 }).catch(() => undefined);
      await target.click({ timeout: 2_000, noWaitAfter: true }).catch(() => undefined);
    }
  }
  await page.waitForTimeout(150);
  const found = await findings(page);
  expect(found, where).toEqual({
    xss: undefined,
    inlineScripts: [],
    handlerAttributes: [],
    scriptUrls: [],
    dangerousElements: [],
    scriptCspViolations: [],
  });
  expect(probed.dialogs, where).toEqual([]);
}

const as = (user: E2eUser) => e2e.as(user);

describe('script payloads never execute', () => {
  test('in a note title and body: on page load, in the home list, and in the edit form', async () => {
    const alice = await as(e2e.alice);
    const key = await addNote(alice.page, { title: TITLE_PAYLOAD, body: BODY_PAYLOAD });
    await expectInert(alice, 'view page right after saving');
    // The title is shown as the text it is, never as markup.
    await expect(alice.page.locator('h1#notetitle').textContent()).resolves.toBe(TITLE_PAYLOAD);
    // Harmless Markdown around the payloads still renders.
    await expect(alice.page.locator('#notebody').textContent()).resolves.toContain('Body text');

    const reader = await e2e.anonymous();
    await reader.page.goto(viewUrl(key));
    await expect(reader.page.locator('h1#notetitle').textContent()).resolves.toBe(TITLE_PAYLOAD);
    await expectInert(reader, 'anonymous view page load');

    await reader.page.goto('/');
    await expect(
      reader.page.locator(`#notetitles a[href="${viewUrl(key)}"]`).textContent(),
    ).resolves.toContain(TITLE_PAYLOAD);
    await expectInert(reader, 'home page load');

    await alice.page.goto(`/notes/edit?key=${encodeURIComponent(key)}`);
    await expect(alice.page.locator('[name=title]').inputValue()).resolves.toBe(TITLE_PAYLOAD);
    await expect(alice.page.locator('[name=body]').inputValue()).resolves.toBe(BODY_PAYLOAD);
    await expectInert(alice, 'edit form load');
  });

  test('in live events: a new note on the home page, an edit on an open note page', async () => {
    const alice = await as(e2e.alice);
    const key = await addNote(alice.page, { title: `Harmless ${uniq()}`, body: 'nothing to see' });

    const home = await e2e.anonymous();
    await home.page.goto('/');
    const viewer = await as(e2e.bob);
    await viewer.page.goto(viewUrl(key));

    // A new note with payloads reaches the open home page live.
    const newKey = await addNote(alice.page, { title: TITLE_PAYLOAD, body: BODY_PAYLOAD });
    const liveLink = home.page.locator(`#notetitles a[href="${viewUrl(newKey)}"]`);
    await poll(() => liveLink.count()).toBe(1);
    await expect(liveLink.textContent()).resolves.toContain(TITLE_PAYLOAD);
    await expectInert(home, 'home page after a live new note');

    // An edit with payloads reaches the open note page live.
    await editNote(alice.page, key, { title: TITLE_PAYLOAD, body: BODY_PAYLOAD });
    await poll(() => viewer.page.locator('h1#notetitle').textContent()).toBe(TITLE_PAYLOAD);
    await poll(() => viewer.page.locator('#notebody').textContent()).toContain('Body text');
    await expectInert(viewer, 'note page after a live edit');
    await poll(() => home.page.locator(`#notetitles a[href="${viewUrl(key)}"]`).textContent()).toContain(
      TITLE_PAYLOAD,
    );
    await expectInert(home, 'home page after a live rename');
  });

  test('in a comment: live in another browser, for its author, and on page load', async () => {
    const alice = await as(e2e.alice);
    const key = await addNote(alice.page, { title: `Comment on me ${uniq()}`, body: 'please' });
    const bob = await as(e2e.bob);
    await bob.page.goto(viewUrl(key));
    const anon = await e2e.anonymous();
    await anon.page.goto(viewUrl(key));

    // Comments are Markdown cleaned by the notes' sanitiser (no images): what is left is the text.
    await postComment(bob.page, COMMENT_PAYLOAD, 'comment link');
    for (const [who, probed] of [
      ['author', bob],
      ['owner', alice],
      ['anonymous', anon],
    ] as const) {
      const item = commentItems(probed.page).filter({ hasText: 'comment link' });
      await poll(() => item.count(), { message: who }).toBe(1);
      expect((await item.locator('.message-text').textContent())?.trim()).toBe('Ccomment link');
      await expectInert(probed, `live comment seen by the ${who}`);
    }

    await anon.page.reload();
    const onLoad = commentItems(anon.page).filter({ hasText: 'comment link' }).locator('.message-text');
    expect((await onLoad.textContent())?.trim()).toBe('Ccomment link');
    await expectInert(anon, 'comment on page load');
  });
});

describe('content security policy', () => {
  test('the CSP header allows no inline script', async () => {
    const { page } = await e2e.anonymous();
    for (const path of ['/', '/users/login', `/no-such-page-${uniq()}`]) {
      const res = await page.goto(path);
      const csp = res?.headers()['content-security-policy'];
      expect(csp, path).toBeTruthy();
      const directives = new Map(
        csp!
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((parts) => parts[0])
          .map((parts) => [parts[0]!.toLowerCase(), parts.slice(1)]),
      );
      const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
      expect(scriptSrc, `${path}: script-src or default-src`).toBeDefined();
      expect(scriptSrc, path).not.toContain("'unsafe-inline'");
      expect(scriptSrc, path).not.toContain("'unsafe-eval'");
      expect(scriptSrc, path).not.toContain('*');
      for (const extra of ['script-src-elem', 'script-src-attr']) {
        expect(directives.get(extra) ?? [], `${path}: ${extra}`).not.toContain("'unsafe-inline'");
      }
    }
  });

  test('an injected inline script and an inline event handler are blocked and reported as CSP violations', async () => {
    const inject = (page: Page) =>
      page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true;';
        document.body.appendChild(s);
        const img = document.createElement('div');
        img.innerHTML = '<img src="/no-such-image.png" onerror="window.__handlerRan = true">';
        document.body.appendChild(img);
        await new Promise((r) => setTimeout(r, 300));
        const w = window as unknown as {
          __inlineRan?: boolean;
          __handlerRan?: boolean;
          __csp: { effective: string }[];
        };
        return {
          inlineRan: w.__inlineRan === true,
          handlerRan: w.__handlerRan === true,
          violations: w.__csp.map((v) => v.effective),
        };
      });

    const probed = await e2e.anonymous();
    await probed.page.goto('/');
    const blocked = await inject(probed.page);
    expect(blocked.inlineRan).toBe(false);
    expect(blocked.handlerRan).toBe(false);
    expect(blocked.violations).toEqual(
      expect.arrayContaining([expect.stringMatching(/^script-src(-elem)?$/)]),
    );
    expect(blocked.violations).toEqual(
      expect.arrayContaining([expect.stringMatching(/^script-src(-attr)?$/)]),
    );
    await poll(
      () => probed.consoleErrors.filter((m) => /Content Security Policy/i.test(m)).length,
    ).toBeGreaterThanOrEqual(2);

    // Control: the same injection runs when the policy is bypassed, so the check above can fail.
    const bypass = await e2e.anonymous({ bypassCSP: true });
    await bypass.page.goto('/');
    const ran = await inject(bypass.page);
    expect(ran).toEqual({ inlineRan: true, handlerRan: true, violations: [] });
  });
});
