import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type AppStack, startAppStack } from '../app/app-stack.js';
import {
  Contexts,
  chromiumPath,
  clearFailureEvidence,
  launchChromium,
  login,
  type Probed,
  uniq,
} from './support.js';

export interface E2eUser {
  username: string;
  password: string;
}

type StorageState = Awaited<ReturnType<import('playwright-core').BrowserContext['storageState']>>;

export interface E2eFixture {
  stack: () => AppStack;
  browser: () => Browser;
  contexts: Contexts;
  /** Two users created in userauth for this file: the author and someone else. */
  alice: E2eUser;
  bob: E2eUser;
  /**
   * A new context logged in as the user. The first call per user logs in through the form; later
   * ones reuse that session cookie (so never log that session out: use `login()` in a fresh context).
   */
  as: (user: E2eUser, options?: BrowserContextOptions) => Promise<Probed>;
  /** A new context with no session: an anonymous visitor. */
  anonymous: (options?: BrowserContextOptions) => Promise<Probed>;
}

/**
 * One app stack (userauth + one svc-notes, fresh databases, a private Redis so that live events of
 * other test files never reach these pages) and one Chromium per test file; contexts per test,
 * captured (screenshot + HTML) when the test fails and closed after it.
 */
export function useE2e(
  name: string,
  options: {
    aliceName?: string;
    /** Read when the stack starts (so an earlier beforeAll may fill it in). */
    notesEnv?: Record<string, string>;
    /** The port of svc-notes, asked when the stack starts (e.g. for a redirect URI made before). */
    notesPort?: () => number | undefined;
    /** How many svc-notes replicas share the databases and Redis (default 1). */
    notesReplicas?: number;
  } = {},
): E2eFixture {
  let stack: AppStack | undefined;
  let browser: Browser | undefined;
  const sessions = new Map<string, StorageState>();
  const fixture: E2eFixture = {
    stack: () => {
      if (!stack) throw new Error('app stack not started');
      return stack;
    },
    browser: () => {
      if (!browser) throw new Error('browser not launched');
      return browser;
    },
    contexts: new Contexts(
      () => fixture.browser(),
      () => fixture.stack().url,
    ),
    alice: { username: options.aliceName ?? `alice_${uniq()}`, password: `pw-a-${uniq()}-${uniq()}` },
    bob: { username: `bob_${uniq()}`, password: `pw-b-${uniq()}-${uniq()}` },
    as: async (user, options = {}) => {
      const saved = sessions.get(user.username);
      const probed = await fixture.contexts.create({ ...options, ...(saved ? { storageState: saved } : {}) });
      if (saved) {
        await probed.page.goto('/');
        const shown = await probed.page.locator('header.page-header a[href="/users/logout"]').textContent();
        if (shown?.includes(user.username)) return probed;
        await probed.context.clearCookies();
      }
      await login(probed.page, user.username, user.password);
      sessions.set(user.username, await probed.context.storageState());
      return probed;
    },
    anonymous: (options = {}) => fixture.contexts.create(options),
  };

  beforeAll(async () => {
    chromiumPath(); // one clear line when Chromium is missing, before anything starts
    clearFailureEvidence(name);
    const [s, b] = await Promise.allSettled([
      startAppStack({
        name,
        redis: 'own',
        ...(options.notesReplicas ? { notesReplicas: options.notesReplicas } : {}),
        // New notes readable by anyone unless a test picks another visibility in the form.
        notesEnv: { NOTES_DEFAULT_VISIBILITY: 'public', ...options.notesEnv },
        ...(options.notesPort?.() ? { notesPort: options.notesPort() } : {}),
      }),
      launchChromium(),
    ]);
    if (s.status === 'fulfilled') stack = s.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (s.status === 'rejected') throw s.reason;
    if (b.status === 'rejected') throw b.reason;
    await s.value.createUser(fixture.alice.username, fixture.alice.password);
    await s.value.createUser(fixture.bob.username, fixture.bob.password);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      const files = await fixture.contexts.captureFailure(`${name}-${ctx.task.name}`);
      if (files.length) console.error(`failure evidence:\n  ${files.join('\n  ')}`);
      if (stack) console.error(`service output (tail):\n${stack.output().slice(-4000)}`);
    }
    await fixture.contexts.closeAll();
  });

  afterAll(async () => {
    await fixture.contexts.closeAll();
    await browser?.close();
    await stack?.stop();
  });

  return fixture;
}
