import { describe, expect, it } from 'vitest';
import { parseQuery } from './search-query.js';
import { highlighter, markTitle, snippet } from './search-snippet.js';

const pattern = (q: string) => highlighter(parseQuery(q).highlight);

describe('snippets', () => {
  it('marks whole words, accent- and case-insensitively, in the original spelling', () => {
    expect(markTitle('Le Café de Flore, cafés', pattern('cafe'))).toBe(
      'Le <mark>Café</mark> de Flore, cafés',
    );
    expect(markTitle('Notifications notify', pattern('notif*'))).toBe(
      '<mark>Notifications</mark> <mark>notify</mark>',
    );
    expect(markTitle('to be or not to be', pattern('"to be"'))).toBe(
      '<mark>to be</mark> or not <mark>to be</mark>',
    );
  });

  it('marks CJK words inside longer runs', () => {
    expect(markTitle('東京都庁へ', pattern('京都'))).toBe('東<mark>京都</mark>庁へ');
  });

  it('escapes everything else: the only markup is <mark>', () => {
    const html = snippet('<script>alert("x")</script> & <b>bold</b> script', pattern('script'));
    expect(html).toBe(
      '&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; &lt;b&gt;bold&lt;/b&gt; <mark>script</mark>',
    );
    expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
  });

  it('cuts around the first match with ellipses', () => {
    const text = `${'lorem ipsum '.repeat(40)}needle ${'dolor sit '.repeat(40)}`;
    const html = snippet(text, pattern('needle'), 100);
    expect(html.startsWith('… ')).toBe(true);
    expect(html.endsWith(' …')).toBe(true);
    expect(html).toContain('<mark>needle</mark>');
    expect(html.length).toBeLessThan(140);
  });
});
