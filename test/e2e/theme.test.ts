/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';

const e2e = useE2e('e2e_theme');

const shownTheme = (page: Page) =>
  page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'));
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
/** The theme the server itself put in the page's HTML (what a browser draws before any script). */
const servedTheme = (page: Page) =>
  page.evaluate(async () => /data-bs-theme="(\w*)"/.exec(await (await fetch('/')).text())?.[1]);

describe('colour theme', () => {
  test('follows the system (dark), and the toggle’s choice is kept by this browser and served by the server', async () => {
    const { page } = await e2e.anonymous({ colorScheme: 'dark' });
    await page.goto('/');
    expect(await shownTheme(page)).toBe('dark');
    expect(await background(page)).toBe('rgb(33, 37, 41)');
    const toggle = page.locator('#theme-toggle');
    await expect(toggle.textContent()).resolves.toBe('Theme: automatic');

    await toggle.click(); // automatic → dark
    await toggle.click(); // dark → light
    expect(await shownTheme(page)).toBe('light');
    expect(await background(page)).toBe('rgb(255, 255, 255)');
    await expect(toggle.textContent()).resolves.toBe('Theme: light');
    expect(await servedTheme(page)).toBe('light');

    await page.reload();
    expect(await shownTheme(page)).toBe('light');
    await page.goto('/users/login');
    expect(await shownTheme(page)).toBe('light');

    await toggle.click(); // light → automatic: the system's dark again
    expect(await shownTheme(page)).toBe('dark');
    await expect(toggle.textContent()).resolves.toBe('Theme: automatic');
  });

  test('without JavaScript the server draws the system’s theme from the browser’s hint, and no toggle shows', async () => {
    const { page } = await e2e.anonymous({ colorScheme: 'dark', javaScriptEnabled: false });
    await page.goto('/'); // the first answer asks for the hint (Accept-CH) …
    await page.goto('/users/login'); // … which the browser sends from then on
    expect(await page.locator('html').getAttribute('data-bs-theme')).toBe('dark');
    expect(await background(page)).toBe('rgb(33, 37, 41)');
    await expect(page.locator('#theme-toggle').isVisible()).resolves.toBe(false);
  });
});
