/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { axeViolations, EVERY_FEATURE, pageStructure } from './axe.js';
import { type E2eFixture, useE2e } from './stack.js';
import { addNote, DESKTOP, editNote, PHONE, postComment, SCREENSHOT_DIR, uniq, viewUrl } from './support.js';

/**
 * axe-core over every page in every state, at phone and desktop widths, in the light and the dark
 * theme: 0 violations of any impact. Each row of PAGES is one page in one state; a new page is
 * one more row (the visitor, the path, what to wait for or do first).
 */
// Every save its own revision, so that the history shows a diff.
const e2e = useE2e('e2e_a11y', { notesEnv: { NOTES_REVISION_MERGE_SECONDS: '0' } });

type Who = 'anonymous' | 'owner' | 'other';

interface Fixtures {
  /** A public note by the owner with every Markdown feature and comments by both users. */
  richKey: string;
  /** A read-only link to the rich note (/s/<token>). */
  linkPath: string;
  /** The owner's comment on the rich note. */
  ownCommentId: string;
}

interface AxePage {
  /** What the row shows, e.g. "note (owner)". */
  name: string;
  who: Who;
  path: (f: Fixtures) => string;
  /** Waited for after the navigation (default: main). */
  ready?: string;
  /** Brings the page into its state after loading it (e.g. submits a form with an error). */
  act?: (page: Page, f: Fixtures) => Promise<void>;
}

/** Every page in every state. Other features add their pages here, one line each. */
const PAGES: AxePage[] = [
  { name: 'home (anonymous)', who: 'anonymous', path: () => '/', ready: '#notetitles a' },
  { name: 'home (signed in)', who: 'owner', path: () => '/', ready: '#notetitles a' },
  { name: 'home, empty list', who: 'other', path: () => '/?filter=mine', ready: '#nonotes' },
  { name: 'home, shared with me', who: 'other', path: () => '/?filter=shared' },
  { name: 'login', who: 'anonymous', path: () => '/users/login' },
  {
    name: 'login, wrong password',
    who: 'anonymous',
    path: () => '/users/login',
    act: async (page) => {
      await page.locator('[name=username]').fill('nobody');
      await page.locator('[name=password]').fill('wrong-password');
      await Promise.all([page.waitForLoadState('load'), page.locator('form [type=submit]').click()]);
      await page.locator('#loginmessage').waitFor();
    },
  },
  { name: 'note (owner)', who: 'owner', path: (f) => viewUrl(f.richKey), ready: '#noteMessages [data-id]' },
  {
    name: 'note (other user)',
    who: 'other',
    path: (f) => viewUrl(f.richKey),
    ready: '#noteMessages [data-id]',
  },
  {
    name: 'note (anonymous)',
    who: 'anonymous',
    path: (f) => viewUrl(f.richKey),
    ready: '#noteMessages [data-id]',
  },
  {
    name: 'note, tickable task list (owner)',
    who: 'owner',
    path: (f) => viewUrl(f.richKey),
    ready: '#note-preview input.task-check:enabled, #notebody:visible input.task-check:enabled',
  },
  {
    name: 'note, comment being edited (author)',
    who: 'owner',
    path: (f) => viewUrl(f.richKey),
    ready: '#noteMessages a.comment-edit',
    act: async (page, f) => {
      await page.locator(`#noteMessages [data-id="${f.ownCommentId}"] a.comment-edit`).click();
      await page.locator('form.comment-editor textarea').waitFor();
    },
  },
  {
    name: 'note, undo notice after deleting a comment',
    who: 'other',
    path: (f) => viewUrl(f.richKey),
    ready: 'form#comment-form',
    act: async (page) => {
      const text = `deleted soon ${uniq()}`;
      await postComment(page, text);
      await page
        .locator('#noteMessages [data-id]')
        .filter({ hasText: text })
        .locator('button.comment-delete')
        .click();
      await page.locator('#comment-undo button').waitFor();
    },
  },
  { name: 'edit comment (form page)', who: 'owner', path: (f) => `/comments/edit?id=${f.ownCommentId}` },
  { name: 'add note', who: 'owner', path: () => '/notes/add' },
  {
    name: 'add note, refused',
    who: 'owner',
    path: () => '/notes/add',
    act: async (page) => {
      await page.locator('[name=title]').evaluate((el) => el.removeAttribute('required'));
      await Promise.all([
        page.waitForLoadState('load'),
        page.locator('form[action="/notes/save"] [type=submit]').click(),
      ]);
      await page.locator('#formmessage').waitFor();
    },
  },
  { name: 'edit note', who: 'owner', path: (f) => `/notes/edit?key=${f.richKey}` },
  { name: 'delete note', who: 'owner', path: (f) => `/notes/destroy?key=${f.richKey}` },
  { name: 'share note', who: 'owner', path: (f) => `/notes/share?key=${f.richKey}` },
  { name: 'read-only link', who: 'anonymous', path: (f) => f.linkPath, ready: '#notebody' },
  {
    // Only a cross-site link shows the question (a same-origin one logs out): localhost links to it.
    name: 'logout question',
    who: 'other',
    path: () => '/',
    act: async (page) => {
      const app = new URL(page.url());
      const elsewhere = new URL(app.href);
      elsewhere.hostname = 'localhost';
      await page.goto(elsewhere.href);
      await page.evaluate((target) => {
        const a = document.createElement('a');
        a.href = target;
        a.id = 'cross-site-logout';
        a.textContent = 'log out';
        document.body.append(a);
      }, `${app.origin}/users/logout`);
      await Promise.all([page.waitForURL(/\/users\/logout$/), page.locator('#cross-site-logout').click()]);
      await page.locator('#logout-form').waitFor();
    },
  },
  { name: 'search', who: 'anonymous', path: () => '/search' },
  {
    name: 'search results',
    who: 'owner',
    path: () => '/search?q=heading',
    ready: '#search-results [data-key]',
  },
  { name: 'search, nothing found', who: 'other', path: () => `/search?q=nothing${uniq()}` },
  { name: 'search, refused', who: 'anonymous', path: () => `/search?q=${'x'.repeat(300)}` },
  {
    name: 'history',
    who: 'other',
    path: (f) => `/notes/history?key=${f.richKey}`,
    ready: '#revisions [data-rev]',
  },
  { name: 'revision with a diff', who: 'owner', path: (f) => `/notes/revision?key=${f.richKey}&rev=2` },
  { name: 'first revision', who: 'anonymous', path: (f) => `/notes/revision?key=${f.richKey}&rev=1` },
  { name: 'trash', who: 'owner', path: () => '/trash', ready: 'main form' },
  { name: 'trash, empty', who: 'other', path: () => '/trash' },
  { name: 'empty the trash?', who: 'owner', path: () => '/trash/empty' },
  { name: 'tags', who: 'owner', path: () => '/tags' },
  { name: 'tag', who: 'anonymous', path: () => '/tags/nothing-tagged' },
  { name: 'profile', who: 'other', path: () => '/users/profile' },
  { name: 'import', who: 'owner', path: () => '/notes/import' },
  {
    name: 'import results',
    // The owner: an import by the other user would leave their "mine" list not empty.
    who: 'owner',
    path: () => '/notes/import',
    act: async (page) => {
      await page.locator('#import-files').setInputFiles([
        { name: 'good.md', mimeType: 'text/markdown', buffer: Buffer.from('# Imported\n\ntext') },
        { name: 'bad.md', mimeType: 'text/markdown', buffer: Buffer.from('---\nvisibility: nobody\n---\n') },
        { name: 'picture.png', mimeType: 'image/png', buffer: Buffer.from([1, 2, 3]) },
      ]);
      await Promise.all([page.waitForLoadState('load'), page.locator('#import-form [type=submit]').click()]);
      await page.locator('#import-results').waitFor();
    },
  },
  {
    name: 'import, refused',
    who: 'owner',
    path: () => '/notes/import',
    act: async (page) => {
      await page.locator('#import-files').evaluate((el) => el.removeAttribute('required'));
      await Promise.all([page.waitForLoadState('load'), page.locator('#import-form [type=submit]').click()]);
      await page.locator('#formmessage').waitFor();
    },
  },
  { name: 'not found', who: 'anonymous', path: () => `/nowhere-${uniq()}` },
  { name: 'unknown note', who: 'owner', path: () => '/notes/view?key=no-such-note' },
  { name: 'bad request', who: 'anonymous', path: () => '/?page=abc' },
  { name: 'forbidden (other user deleting)', who: 'other', path: (f) => `/notes/destroy?key=${f.richKey}` },
];

const WIDTHS = [
  ['desktop', { viewport: DESKTOP }],
  ['phone', { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
] as const;
const SCHEMES = ['light', 'dark'] as const;

async function visitor(fx: E2eFixture, who: Who, options: BrowserContextOptions): Promise<Page> {
  if (who === 'anonymous') return (await fx.anonymous(options)).page;
  return (await fx.as(who === 'owner' ? fx.alice : fx.bob, options)).page;
}

const fixtures: Fixtures = { richKey: '', linkPath: '', ownCommentId: '' };
/** Violations per page and variant, written to test-results for the record. */
const totals: Record<string, Record<string, number>> = {};

/** Made once, in the first test (the fixture's helpers need a running test). */
async function prepare(): Promise<void> {
  const owner = (await e2e.as(e2e.alice)).page;
  fixtures.richKey = await addNote(owner, { title: `Every Markdown feature ${uniq()}`, body: EVERY_FEATURE });
  await editNote(owner, fixtures.richKey, { body: EVERY_FEATURE.replace('first', 'first, changed') });
  const binned = await addNote(owner, { title: `In the trash ${uniq()}`, body: 'Deleted.' });
  await owner.goto(`/notes/destroy?key=${binned}`);
  await Promise.all([
    owner.waitForURL((url) => url.pathname === '/'),
    owner.locator('form[action="/notes/destroy/confirm"] [type=submit]').click(),
  ]);
  await owner.goto(viewUrl(fixtures.richKey));
  await postComment(owner, 'A comment by the owner with **bold** text.', 'A comment by the owner');
  fixtures.ownCommentId =
    (await owner
      .locator('#noteMessages [data-id]')
      .filter({ hasText: 'A comment by the owner' })
      .getAttribute('data-id')) ?? '';
  const other = (await e2e.as(e2e.bob)).page;
  await other.goto(viewUrl(fixtures.richKey));
  await postComment(other, 'A comment by someone else.');
  await owner.goto(`/notes/share?key=${fixtures.richKey}`);
  await Promise.all([
    owner.waitForLoadState('load'),
    owner.locator('form[action="/notes/links"] [type=submit]').click(),
  ]);
  const link = (await owner.locator('.share-link').textContent()) ?? '';
  fixtures.linkPath = new URL(link.trim(), 'http://localhost').pathname;
}
let prepared: Promise<void> | undefined;

afterAll(() => {
  mkdirSync(resolve(SCREENSHOT_DIR, '..'), { recursive: true });
  writeFileSync(resolve(SCREENSHOT_DIR, '../a11y-totals.json'), `${JSON.stringify(totals, null, 2)}\n`);
});

describe('axe-core finds nothing on any page', () => {
  for (const [width, widthOptions] of WIDTHS) {
    for (const scheme of SCHEMES) {
      test(`every page at ${width} width in the ${scheme} theme`, async () => {
        prepared ??= prepare();
        await prepared;
        const options: BrowserContextOptions = { ...widthOptions, colorScheme: scheme };
        const pages = new Map<Who, Page>();
        const found: Record<string, string[]> = {};
        for (const row of PAGES) {
          let page = pages.get(row.who);
          if (!page) {
            page = await visitor(e2e, row.who, options);
            pages.set(row.who, page);
          }
          await page.goto(row.path(fixtures));
          await page
            .locator(row.ready ?? 'main')
            .first()
            .waitFor();
          if (row.act) await row.act(page, fixtures);
          const structure = await pageStructure(page);
          const theme = await page.locator('html').getAttribute('data-bs-theme');
          if (theme !== scheme) structure.problems.push(`drawn in the ${theme} theme`);
          if (structure.problems.length) found[`${row.name}: structure`] = structure.problems;
          const violations = await axeViolations(page);
          totals[row.name] ??= {};
          totals[row.name]![`${width}-${scheme}`] = violations.length;
          if (violations.length)
            found[row.name] = violations.map(
              (v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`,
            );
        }
        expect(found).toEqual({});
      }, 240_000);
    }
  }
});
