import { startTestProvider, type TestProvider } from '@notes/notes/testing';
import { freePort } from '@notes/testkit';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { login, poll, screenshot, uniq } from './support.js';

/**
 * Accounts in the browser: OpenID Connect through a real provider's login page (oidc-provider on a
 * loopback port), TOTP enrolment on the profile page and sign-in with a code, and a password change
 * that signs out the user's other browser.
 */
let provider: TestProvider | undefined;
let notesPort: number | undefined;
const notesEnv: Record<string, string> = {};

beforeAll(async () => {
  notesPort = await freePort();
  const base = `http://127.0.0.1:${notesPort}`;
  provider = await startTestProvider(`${base}/users/login/oidc/callback`);
  provider.add({
    login: 'dana.idp',
    password: 'dana-idp-pass',
    claims: {
      preferred_username: 'dana',
      given_name: 'Dana',
      email: 'dana@example.org',
      email_verified: true,
    },
  });
  Object.assign(notesEnv, {
    NOTES_PUBLIC_URL: base,
    NOTES_OIDC_ISSUER: provider.issuer,
    NOTES_OIDC_CLIENT_ID: provider.clientId,
    NOTES_OIDC_CLIENT_SECRET: provider.clientSecret,
    NOTES_OIDC_NAME: 'Test IdP',
  });
});
afterAll(async () => {
  await provider?.close();
});

const e2e = useE2e('e2e_accounts', { notesEnv, notesPort: () => notesPort });
const header = 'header.page-header a[href="/users/logout"]';
const codeAt = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp });

describe('accounts in the browser', () => {
  test('signs in through the OpenID Connect provider’s own login page', async () => {
    const { page } = await e2e.anonymous();
    await page.goto('/users/login');
    const button = page.locator('a#login-oidc[href="/users/login/oidc"]');
    await expect(button.textContent()).resolves.toBe('Sign in with Test IdP');
    await screenshot(page, 'accounts-login-with-provider');
    await Promise.all([page.waitForURL((url) => url.origin === provider!.issuer), button.click()]);
    const form = page.locator('form#provider-login');
    await form.locator('[name=login]').fill('dana.idp');
    await form.locator('[name=password]').fill('dana-idp-pass');
    await Promise.all([
      page.waitForURL((url) => url.port === String(notesPort) && url.pathname === '/'),
      form.locator('button[type=submit]').click(),
    ]);
    await poll(() => page.locator(header).textContent()).toContain('dana');
    expect(await e2e.stack().users.find('dana')).toMatchObject({
      provider: 'oidc',
      emails: ['dana@example.org'],
    });
  });

  test('enrols a second factor on the profile page, then signs in with a code', async () => {
    const user = { username: `carla_${uniq()}`, password: `pw-c-${uniq()}-${uniq()}` };
    await e2e.stack().createUser(user.username, user.password);
    const { page } = await e2e.contexts.create();
    await login(page, user.username, user.password);
    await page.goto('/users/profile');
    await expect(page.locator('#mfa-status').getAttribute('data-mfa')).resolves.toBe('off');
    await Promise.all([page.waitForURL('**/users/profile/mfa'), page.locator('#mfa-start').click()]);
    const qr = page.locator('#mfa-qr svg');
    expect((await qr.boundingBox())!.width).toBeGreaterThan(150);
    await screenshot(page, 'accounts-mfa-enrolment');
    const secret = (await page.locator('#mfa-secret').textContent())!.replace(/\s/g, '');
    await page.locator('#mfa-confirm-form [name=code]').fill(codeAt(secret, Date.now()));
    await Promise.all([
      page.waitForURL('**/users/profile/mfa/confirm'),
      page.locator('#mfa-confirm-form button[type=submit]').click(),
    ]);
    await expect(page.locator('#recovery-codes li').count()).resolves.toBe(10);
    await screenshot(page, 'accounts-recovery-codes');

    // Another browser: the password leads to the code prompt, and only the code signs in.
    const other = (await e2e.contexts.create()).page;
    await other.goto('/users/login');
    const loginForm = other.locator('form[action="/users/login"]');
    await loginForm.locator('[name=username]').fill(user.username);
    await loginForm.locator('[name=password]').fill(user.password);
    await Promise.all([other.waitForURL('**/users/login/2fa'), loginForm.locator('[type=submit]').click()]);
    await expect(other.locator(header).count()).resolves.toBe(0);
    await screenshot(other, 'accounts-code-prompt');
    const codeForm = other.locator('form[action="/users/login/2fa"]');
    await codeForm.locator('[name=code]').fill(codeAt(secret, Date.now() + 30_000));
    await Promise.all([
      other.waitForURL((url) => url.pathname === '/'),
      codeForm.locator('[type=submit]').click(),
    ]);
    await poll(() => other.locator(header).textContent()).toContain(user.username);
  });

  test('a password change signs out the user’s other browser', async () => {
    const user = { username: `dora_${uniq()}`, password: `pw-d-${uniq()}-${uniq()}` };
    await e2e.stack().createUser(user.username, user.password);
    const here = (await e2e.contexts.create()).page;
    const there = (await e2e.contexts.create()).page;
    await login(here, user.username, user.password);
    await login(there, user.username, user.password);
    await here.goto('/users/profile');
    await expect(here.locator('#sessions [data-session]').count()).resolves.toBe(2);
    const form = here.locator('#password-form');
    await form.locator('[name=current]').fill(user.password);
    await form.locator('[name=password]').fill(`${user.password}-new`);
    await form.locator('[name=confirm]').fill(`${user.password}-new`);
    await Promise.all([
      here.waitForURL('**/users/profile?saved=password'),
      form.locator('[type=submit]').click(),
    ]);
    await expect(here.locator('#profilenotice').textContent()).resolves.toContain(
      'other sessions are signed out',
    );
    await expect(here.locator('#sessions [data-session]').count()).resolves.toBe(1);
    await screenshot(here, 'accounts-profile');

    await there.reload();
    await expect(there.locator(header).count()).resolves.toBe(0);
    await expect(there.locator('header.page-header a.nav-item[href="/users/login"]').count()).resolves.toBe(
      1,
    );
    await here.goto('/');
    await poll(() => here.locator(header).textContent()).toContain(user.username);
  });
});
