/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** A note that uses every Markdown feature the renderer supports. */
export const EVERY_FEATURE = [
  '# Heading one',
  '',
  'A paragraph with **bold**, _italic_, ~~struck~~, `inline code`, a [link](https://example.com) and an autolink https://example.org/page.',
  '',
  '## Heading two',
  '',
  '### Heading three',
  '',
  '#### Heading four',
  '',
  '##### Heading five',
  '',
  '###### Heading six',
  '',
  '- a bullet',
  '  - a nested bullet',
  '- another',
  '',
  '1. first',
  '2. second',
  '',
  '- [ ] a task to do',
  '- [x] a task done',
  '',
  '> A quotation',
  '> on two lines.',
  '',
  '```js',
  'function greet(name) {',
  "  return 'Hello, ' + name + '!'; // a comment",
  '}',
  '```',
  '',
  '```',
  'plain preformatted text',
  '```',
  '',
  '| Left | Centre | Right |',
  '| :--- | :----: | ----: |',
  '| a | b | c |',
  '| 1 | 2 | 3 |',
  '',
  '---',
  '',
  '![A tiny image](data:image/gif;base64,R0lGODlhAQABAAAAACw=) and a raw <img src="https://example.com/x.png">',
  '',
  '<details><summary>More</summary>Hidden text</details>',
].join('\n');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core in the page (every rule axe runs by default, best practices included). */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: unknown[] }>;
      }>;
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
}

/**
 * What axe does not check: one h1, a skip link first in the tab order that leads to main, a tab
 * title of the page's own (never "Notes · Notes"), at most one way to add a note.
 */
export async function pageStructure(page: Page): Promise<{ problems: string[] }> {
  const facts = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    title: document.title,
    firstLink: document.querySelector('a, button, input, select, textarea')?.getAttribute('href') ?? '',
    main: document.querySelectorAll('main#main').length,
    addLinks: document.querySelectorAll('a[href="/notes/add"]').length,
  }));
  const problems: string[] = [];
  if (facts.h1 !== 1) problems.push(`${facts.h1} h1 elements`);
  if (!/^(.+ · )?Notes$/.test(facts.title) || facts.title === 'Notes · Notes')
    problems.push(`tab title "${facts.title}"`);
  if (facts.firstLink !== '#main')
    problems.push(`first focusable is "${facts.firstLink}", not the skip link`);
  if (facts.main !== 1) problems.push('no main#main');
  if (facts.addLinks > 1) problems.push(`${facts.addLinks} links to /notes/add`);
  return { problems };
}
