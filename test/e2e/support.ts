/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT, which } from '@notes/testkit';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';

/** Where screenshots (every run) and failure evidence (screenshot + HTML) go. */
export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'test-results/screenshots');

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** How long a browser step (navigation, a selector, a live event) may take before it fails. */
export const STEP_TIMEOUT_MS = 8_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium (never a downloaded browser): CHROMIUM_PATH, else `chromium` on PATH. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? which('chromium');
  if (!path)
    throw new Error(
      "Chromium is not installed: install Debian's chromium package (apt-get install chromium)",
    );
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/**
 * Set before any page script runs in every page of a probed context:
 * - window.__xss: set by the payloads of the XSS tests (stays undefined unless a payload runs);
 * - window.__csp: every securitypolicyviolation the page reported;
 * - window.__loadedAt: a marker that survives only as long as the page is not reloaded.
 */
const PROBE_SCRIPT = `
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({ directive: e.violatedDirective, effective: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
  });
  window.__loadedAt = Math.random();
`;

export interface Probed {
  context: BrowserContext;
  page: Page;
  /** Messages of every alert/confirm/prompt any page of the context opened (each is dismissed). */
  dialogs: string[];
  /** Uncaught page errors (script errors in the app's own scripts show up here). */
  pageErrors: string[];
  /** Console messages of type error (CSP violations are logged here by Chromium). */
  consoleErrors: string[];
}

/** Keeps track of the contexts a test opened, so that failures can be captured and all closed. */
export class Contexts {
  private readonly open = new Set<BrowserContext>();
  constructor(
    private readonly browser: () => Browser,
    private readonly baseURL: () => string,
  ) {}

  /** A fresh context (a separate cookie jar = a separate user or an anonymous visitor) and one page. */
  async create(options: BrowserContextOptions = {}): Promise<Probed> {
    const context = await this.browser().newContext({
      baseURL: this.baseURL(),
      viewport: DESKTOP,
      ...options,
    });
    this.open.add(context);
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    await context.addInitScript({ content: PROBE_SCRIPT });
    const probed: Probed = {
      context,
      page: undefined as unknown as Page,
      dialogs: [],
      pageErrors: [],
      consoleErrors: [],
    };
    context.on('page', (p) => watch(p, probed));
    probed.page = await context.newPage();
    return probed;
  }

  /** On failure: a full-page screenshot and the HTML of every open page, named after the test. */
  async captureFailure(testName: string): Promise<string[]> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const slug = slugify(testName).slice(0, 80);
    const written: string[] = [];
    let n = 0;
    for (const context of this.open) {
      for (const page of context.pages()) {
        n += 1;
        const base = resolve(SCREENSHOT_DIR, `FAILED-${slug}-${n}`);
        try {
          await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 });
          written.push(`${base}.png`);
        } catch {
          /* a crashed page has no picture */
        }
        try {
          writeFileSync(`${base}.html`, `<!-- ${page.url()} -->\n${await page.content()}`);
          written.push(`${base}.html`);
        } catch {
          /* nor HTML */
        }
      }
    }
    return written;
  }

  async closeAll(): Promise<void> {
    const contexts = [...this.open];
    this.open.clear();
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Removes the failure evidence an earlier run of this test file left behind. */
export function clearFailureEvidence(fileName: string): void {
  const prefix = `FAILED-${slugify(fileName)}-`;
  let names: string[] = [];
  try {
    names = readdirSync(SCREENSHOT_DIR);
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(prefix)) rmSync(resolve(SCREENSHOT_DIR, name), { force: true });
}

function watch(page: Page, probed: Probed): void {
  page.on('dialog', (dialog) => {
    probed.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (err) => probed.pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') probed.consoleErrors.push(msg.text());
  });
}

/** Writes a full-page screenshot to the screenshots folder (every run, not only on failure). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = resolve(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** expect.poll with a timeout long enough for a live event to arrive (and no longer). */
export const poll: typeof expect.poll = (fn, options) =>
  expect.poll(fn, { timeout: 5_000, interval: 50, ...options });

/** Logs in through the login form and checks that the header then shows the user. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/users/login');
  await fillLoginForm(page, username, password);
  await page.waitForURL((url) => url.pathname !== '/users/login');
  await poll(() => page.locator('header.page-header a[href="/users/logout"]').textContent()).toContain(
    username,
  );
}

export async function fillLoginForm(page: Page, username: string, password: string): Promise<void> {
  const form = page.locator('form[action="/users/login"]');
  await form.locator('[name=username]').fill(username);
  await form.locator('[name=password]').fill(password);
  await form.locator('[type=submit]').click();
}

export interface NoteInput {
  key?: string;
  title: string;
  body: string;
}

/** Adds a note through /notes/add; resolves with its key (from the URL of the view page). */
export async function addNote(page: Page, note: NoteInput): Promise<string> {
  await page.goto('/notes/add');
  const form = page.locator('form[action="/notes/save"]');
  // The key field sits under "Advanced", open as the page comes (DESIGN 4.1's form contract: tests
  // outside the repository fill [name=notekey] without opening anything).
  if (note.key !== undefined) await form.locator('[name=notekey]').fill(note.key);
  await form.locator('[name=title]').fill(note.title);
  await form.locator('[name=body]').fill(note.body);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/notes/view'),
    form.locator('button[type=submit]').click(),
  ]);
  const key = new URL(page.url()).searchParams.get('key');
  if (!key) throw new Error(`no key in ${page.url()}`);
  if (note.key !== undefined) expect(key).toBe(note.key);
  return key;
}

/** Saves new title/body through /notes/edit; resolves once back on the view page. */
export async function editNote(
  page: Page,
  key: string,
  changes: { title?: string; body?: string },
): Promise<void> {
  await page.goto(`/notes/edit?key=${encodeURIComponent(key)}`);
  const form = page.locator('form[action="/notes/save"]');
  if (changes.title !== undefined) await form.locator('[name=title]').fill(changes.title);
  if (changes.body !== undefined) await form.locator('[name=body]').fill(changes.body);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/notes/view'),
    form.locator('button[type=submit]').click(),
  ]);
}

export function viewUrl(key: string): string {
  return `/notes/view?key=${encodeURIComponent(key)}`;
}

/** The marker set by the probe at page load: unchanged means the page was not reloaded. */
export function loadMarker(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __loadedAt: number }).__loadedAt);
}

/** A short unique suffix for keys, titles and user names. */
export function uniq(): string {
  return Math.random().toString(36).slice(2, 8);
}

/** The comments shown under a note (DESIGN 4.1: in #noteMessages). */
export function commentItems(page: Page) {
  return page.locator('#noteMessages [data-id]');
}

/**
 * Posts a comment through the note page's comment form (sent over Socket.IO with an ack); waits for
 * it to show, found by `shown` (its start, unless Markdown makes the rendered text differ).
 */
export async function postComment(page: Page, text: string, shown = text.slice(0, 40)): Promise<void> {
  const form = page.locator('form#comment-form');
  await form.locator('[name=message]').fill(text);
  await form.locator('[type=submit]').click();
  await commentItems(page).filter({ hasText: shown }).first().waitFor();
}

/** Deletes the (first) comment containing the text through its delete button. */
export async function deleteComment(page: Page, text: string): Promise<void> {
  const item = commentItems(page).filter({ hasText: text }).first();
  await item.locator('button.comment-delete').click();
}
