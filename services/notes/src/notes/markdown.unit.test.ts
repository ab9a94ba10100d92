import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('puts the body’s headings below the page’s h1 (the note title)', () => {
    const html = renderMarkdown('# One\n\n## Two\n\n###### Six');
    expect(html).toContain('<h2>One</h2>');
    expect(html).toContain('<h3>Two</h3>');
    expect(html).toContain('<h6>Six</h6>');
    expect(html).not.toContain('<h1');
  });

  it('highlights a code block of a known language on the server, leaves others plain', () => {
    const html = renderMarkdown('```js\nconst a = "x"; // note\n```\n\n```\nplain <b>\n```');
    expect(html).toContain('<code class="hljs language-js"><span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-string">"x"</span>');
    expect(html).toContain('<span class="hljs-comment">// note</span>');
    expect(html).toContain('<code class="hljs">plain &lt;b&gt;\n</code>');
  });

  it('lets the keyboard reach code blocks and tables (they scroll sideways on a phone)', () => {
    expect(renderMarkdown('```\nx\n```')).toContain('<pre tabindex="0">');
    expect(renderMarkdown('| a |\n| - |\n| b |')).toContain('<table tabindex="0">');
  });

  it('does not let a code block’s language smuggle in classes or markup', () => {
    const html = renderMarkdown('```js" onclick="x\nlet a\n```');
    expect(html).not.toMatch(/onclick/);
  });

  it('names each task’s checkbox after its text and numbers the tasks in order', () => {
    const html = renderMarkdown('- [ ] buy **milk**\n- [x] call [Sam](https://example.com)\n  - [ ] nested');
    expect(html).toContain(
      '<input type="checkbox" class="task-check" data-task="0" aria-label="buy milk" disabled />',
    );
    expect(html).toContain('data-task="1" aria-label="call Sam" checked disabled />');
    expect(html).toContain('data-task="2" aria-label="nested" disabled />');
  });

  it('starts numbering again for every note', () => {
    renderMarkdown('- [ ] a\n- [ ] b');
    expect(renderMarkdown('- [ ] c')).toContain('data-task="0"');
  });

  it('gives an image without a description an empty alt (decorative) and keeps a given one', () => {
    expect(renderMarkdown('<img src="https://example.com/a.png">')).toContain(
      '<img src="https://example.com/a.png" alt="" />',
    );
    expect(renderMarkdown('![A cat](https://example.com/c.png)')).toContain('alt="A cat"');
  });

  it('still drops scripts, handlers and javascript: links', () => {
    const html = renderMarkdown('<script>x()</script><img src=x onerror=y()> [a](javascript:z())');
    expect(html).not.toMatch(/<script|onerror|href="javascript:/);
  });

  describe('without images (comments)', () => {
    const comment = (md: string) => renderMarkdown(md, { images: false });

    it('renders the same Markdown: emphasis, code, links, lists', () => {
      const html = comment('**bold** `code` [site](https://example.com)\n\n- one\n- two');
      expect(html).toContain('<strong>bold</strong>');
      expect(html).toContain('<code>code</code>');
      expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>');
      expect(html).toContain('<li>two</li>');
    });

    it('drops every image, Markdown or HTML, keeping its description as text', () => {
      const html = comment(
        '![A cat](https://example.com/c.png) <img src="https://example.com/a.png" alt="raw">',
      );
      expect(html).not.toMatch(/<img|c\.png|a\.png/);
      expect(html).toContain('A cat');
      expect(html).toContain('raw');
    });

    it('still drops scripts, handlers and javascript: links', () => {
      const html = comment(
        '<script>x()</script><b onclick="y()">b</b> [a](javascript:z()) <iframe src="https://e.x"></iframe>',
      );
      expect(html).not.toMatch(/<script|x\(\)|onclick|href="javascript:|<iframe/);
    });

    it('leaves notes their images', () => {
      expect(renderMarkdown('![A cat](https://example.com/c.png)')).toContain('<img');
    });
  });
});
