import hljs from 'highlight.js/lib/common';
import { Marked } from 'marked';
import { markedHighlight } from 'marked-highlight';
import sanitizeHtml from 'sanitize-html';

/** Code blocks larger than this are shown plain: highlighting a huge block would slow every view. */
const HIGHLIGHT_MAX_CHARS = 100_000;

/** What rendered Markdown may contain: formatting, links and images over http(s), nothing active. */
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'iframe'),
    'img',
    'h1',
    'h2',
    'del',
    'input',
    'span',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    span: ['class'],
    li: ['class'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    pre: ['tabindex'],
    table: ['tabindex'],
    input: ['type', 'checked', 'disabled', 'class', 'aria-label', 'data-task'],
  },
  allowedClasses: {
    code: [/^language-[\w-]+$/, 'hljs'],
    // highlight.js token classes (`hljs-keyword`, and sub-scopes such as `function_`).
    span: [/^hljs-[\w-]+$/, /^[a-z]+_+$/],
    li: ['task-list-item'],
    input: ['task-check'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    // Code blocks and tables scroll sideways when wider than the page: keyboard users reach them.
    pre: (tagName, attribs) => ({ tagName, attribs: { ...attribs, tabindex: '0' } }),
    table: (tagName, attribs) => ({ tagName, attribs: { ...attribs, tabindex: '0' } }),
    // An image without a description is taken as decorative (as Markdown's `![](url)` says).
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, alt: attribs.alt ?? '' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
};

/** The plain text of a task's first line, for its checkbox's accessible name. */
function taskLabel(text: string): string {
  const first = text.split('\n', 1)[0] ?? '';
  return (
    first
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]*>/g, '')
      .replace(/[*_~`]/g, '')
      .trim() || 'Task'
  );
}

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** State of one render (parsing is synchronous): the tasks seen so far and the next one's name. */
let tasks = { count: 0, label: 'Task' };

const marked = new Marked(
  markedHighlight({
    emptyLangClass: 'hljs',
    langPrefix: 'hljs language-',
    highlight(code, lang) {
      if (!lang || code.length > HIGHLIGHT_MAX_CHARS || !hljs.getLanguage(lang)) return code;
      return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
    },
  }),
  {
    gfm: true,
    breaks: false,
    renderer: {
      /**
       * The page's own h1 is the note title (DESIGN 4.1), so the body's headings sit one level below
       * it: `#` renders as h2, `##` as h3, … (`#####` and `######` both as h6).
       */
      heading({ tokens, depth }) {
        const level = Math.min(depth + 1, 6);
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
      listitem(item) {
        if (!item.task) return false;
        tasks.label = taskLabel(item.text);
        // marked's own list item, with the checkbox below; the class lets the list drop its bullet.
        return false;
      },
      /** A task's checkbox: named after its text, numbered in document order (the note page ticks it). */
      checkbox({ checked }) {
        const n = tasks.count++;
        return `<input type="checkbox" class="task-check" data-task="${n}" aria-label="${escapeAttr(tasks.label)}"${checked ? ' checked' : ''} disabled>`;
      },
    },
  },
);

/**
 * The same allow-list without images (comments): an image is dropped with its tag, its description
 * kept as text so that what was written still reads.
 */
const ALLOWED_WITHOUT_IMAGES: sanitizeHtml.IOptions = {
  ...ALLOWED,
  allowedTags: (ALLOWED.allowedTags as string[]).filter((t) => t !== 'img'),
  transformTags: {
    ...ALLOWED.transformTags,
    img: (_tagName, attribs) => ({ tagName: 'span', attribs: {}, text: attribs.alt ?? '' }),
  },
  allowedSchemesByTag: {},
};

export interface RenderOptions {
  /** Keep images (notes); comments render without them. Default true. */
  images?: boolean;
}

/** Markdown → HTML that is safe to put in a page (rendered on the server, sanitised by an allow-list). */
export function renderMarkdown(source: string, options: RenderOptions = {}): string {
  tasks = { count: 0, label: 'Task' };
  const html = marked.parse(source, { async: false });
  return sanitizeHtml(html, options.images === false ? ALLOWED_WITHOUT_IMAGES : ALLOWED);
}
