import { describe, expect, it } from 'vitest';
import { noteMarkdown } from '../export/export-markdown.js';
import type { Note } from '../notes/note.js';
import { FileProblem, noteFileForm } from './note-file.js';

const file = (text: string) => Buffer.from(text, 'utf8');

const note: Note = {
  key: 'k-1',
  title: 'A "quoted" title: with colon',
  body: '---\nnot: front matter\n---\n\nText #inbody\n',
  owner: 'someone',
  visibility: 'public',
  grants: [],
  tags: ['form', 'inbody'],
  formTags: ['form'],
  version: 3,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

describe('noteFileForm', () => {
  it('reads back what the export writes: key, title, form tags, visibility and the exact body', () => {
    expect(noteFileForm('k-1.md', file(noteMarkdown(note)))).toEqual({
      mode: 'create',
      version: 0,
      key: 'k-1',
      title: note.title,
      body: note.body,
      visibility: 'public',
      tags: ['form'],
    });
  });

  it('takes plain Markdown: the first heading as title (else the file name), CRLF and a BOM', () => {
    const plain = noteFileForm('x.md', file('\uFEFFintro\r\n\r\n## The heading ##\r\nmore'));
    expect([plain.title, plain.body, plain.key, plain.visibility]).toEqual([
      'The heading',
      'intro\n\n## The heading ##\nmore',
      '',
      undefined,
    ]);
    expect(noteFileForm('folder/My notes.markdown', file('no heading')).title).toBe('My notes');
  });

  it("takes another tool's front matter: a tags list without the text's own #tags, plain scalars", () => {
    const form = noteFileForm(
      'o.md',
      file('---\ntitle: 2024\ntags:\n  - Work\n  - inbody\n---\nsee #inbody'),
    );
    expect([form.title, form.tags]).toEqual(['2024', ['work']]);
  });

  it.each([
    ['---\nvisibility: everyone\n---\n', /^visibility: must be one of private, team, public$/],
    ['---\nkey: "a b"\n---\n', /^key: must be 1-64 characters/],
    ['---\ntitle: [a, b]\n---\n', /^title: must be a single value$/],
    ['---\ntags: {a: 1}\n---\n', /^tags: must be a list of tags$/],
    ['---\n- a list\n---\n', /^front matter: must be a list of "name: value" lines$/],
    [
      `---\na: &a [x, x, x, x]\nb: &b [${'*a, '.repeat(9)}*a]\nc: [${'*b, '.repeat(9)}*b]\n---\n`,
      /^front matter: is not valid YAML \(Excessive alias count/,
    ],
  ])('refuses %j naming the field', (text, message) => {
    expect(() => noteFileForm('bad.md', file(text))).toThrow(FileProblem);
    expect(() => noteFileForm('bad.md', file(text))).toThrow(message);
  });
});
