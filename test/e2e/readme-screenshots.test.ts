/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@notes/testkit';
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, postComment, SCREENSHOT_DIR, viewUrl } from './support.js';

/**
 * The README's pictures: the note list and a note, in the light and the dark theme. Every run makes
 * them under test-results; `UPDATE_README_SCREENSHOTS=1` writes them to docs/screenshots instead
 * (committed, small: 1000 px wide, one device pixel per CSS pixel).
 */
const e2e = useE2e('e2e_readme', { aliceName: 'alice' });
const OUT = process.env.UPDATE_README_SCREENSHOTS
  ? resolve(REPO_ROOT, 'docs/screenshots')
  : resolve(SCREENSHOT_DIR, 'readme');

const NOTE = [
  'Saturday, 10:00 at the station café.',
  '',
  '## Before we leave',
  '',
  '- [x] Book the cottage',
  '- [ ] Check the ferry times',
  '- [ ] Pack the **picnic blanket**',
  '',
  '| Day | Ferry | Pier |',
  '| --- | ----: | :--: |',
  '| Sat | 09:45 | 3 |',
  '| Sun | 18:10 | 1 |',
  '',
  '> The forecast says sunny, 24 °C.',
  '',
  '```js',
  'const packed = items.filter((item) => item.done); // what is in the car',
  '```',
].join('\n');

describe('README screenshots', () => {
  test('the note list and a note, light and dark', async () => {
    mkdirSync(OUT, { recursive: true });
    const { page: alice } = await e2e.as(e2e.alice);
    for (const title of ['Books to read this summer', 'Recipe: lemon cake', 'Team meeting, 3 March']) {
      await addNote(alice, { title, body: `Notes about ${title.toLowerCase()}.` });
    }
    const key = await addNote(alice, { title: 'Weekend trip to the coast', body: NOTE });
    await postComment(alice, 'I will bring the **thermos**.', 'I will bring the thermos.');
    const { page: bob } = await e2e.as(e2e.bob);
    await bob.goto(viewUrl(key));
    await postComment(bob, 'Can we take the later ferry? 9:45 is early.');

    for (const scheme of ['light', 'dark'] as const) {
      const { page } = await e2e.as(e2e.alice, {
        viewport: { width: 1000, height: 640 },
        colorScheme: scheme,
      });
      await page.goto('/');
      await page.locator('#notetitles a').first().waitFor();
      expect(await page.locator('html').getAttribute('data-bs-theme')).toBe(scheme);
      await page.screenshot({ path: resolve(OUT, `list-${scheme}.png`) });
      await page.goto(viewUrl(key));
      await page.locator('#noteMessages [data-id]').nth(1).waitFor();
      await page.screenshot({ path: resolve(OUT, `note-${scheme}.png`) });
    }
  });
});
