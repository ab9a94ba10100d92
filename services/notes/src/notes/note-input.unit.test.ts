import { characterCount } from '@notes/kit';
import { thrownBy } from '@notes/testkit';
import { describe, expect, it } from 'vitest';
import {
  BODY_MAX,
  BYTES_PER_CHARACTER_WORST,
  NOTE_FORM_BYTES,
  parseListFilter,
  parseNoteForm,
  parsePageParam,
} from './note-input.js';

/** The 400 a bad form gets, reduced to what a user sees: status and the field named. */
const rejected = (fn: () => unknown) => {
  const err = thrownBy(fn);
  return { status: err.status, field: err.field };
};

describe('parseNoteForm', () => {
  const create = { docreate: 'create', notekey: '', title: 'Shopping', body: 'milk' };
  const update = { docreate: 'update', notekey: 'abc_DEF-1', title: 'Shopping', body: 'milk', version: '3' };

  it('accepts a new note without a key (one is generated later) and trims the title', () => {
    expect(parseNoteForm({ ...create, title: '  Shopping  ' })).toEqual({
      mode: 'create',
      key: '',
      title: 'Shopping',
      body: 'milk',
      version: 0,
    });
  });

  it('treats a missing docreate as create and a missing body as empty', () => {
    expect(parseNoteForm({ title: 'T' })).toMatchObject({ mode: 'create', body: '', key: '' });
  });

  it('accepts an update with its key and version', () => {
    expect(parseNoteForm(update)).toEqual({
      mode: 'update',
      key: 'abc_DEF-1',
      title: 'Shopping',
      body: 'milk',
      version: 3,
    });
  });

  it('keeps Markdown, tabs and line breaks in the body, folding CRLF to LF', () => {
    const body = '# Title\r\n\r\n\t- item <b>x</b>\r\n';
    expect(parseNoteForm({ ...create, body }).body).toBe('# Title\n\n\t- item <b>x</b>\n');
  });

  it('accepts a title and a body at their size limits', () => {
    expect(
      parseNoteForm({ ...create, title: 't'.repeat(200), body: 'b'.repeat(BODY_MAX) }).title,
    ).toHaveLength(200);
  });

  it('counts the body in characters of any script: BODY_MAX emoji pass, one more of anything does not', () => {
    // An emoji is two UTF-16 code units: a limit on `length` would refuse half of this text.
    expect(characterCount(parseNoteForm({ ...create, body: '😀'.repeat(BODY_MAX) }).body)).toBe(BODY_MAX);
    expect(parseNoteForm({ ...create, body: '漢'.repeat(BODY_MAX) }).body).toHaveLength(BODY_MAX);
    for (const unit of ['b', '漢', '😀']) {
      const refused = rejected(() => parseNoteForm({ ...create, body: unit.repeat(BODY_MAX + 1) }));
      expect(refused).toEqual({ status: 400, field: 'body' });
    }
  });

  it('derives the form parser limit from the character limit at 12 bytes a character', () => {
    // The worst case: a 4-byte UTF-8 character percent-encoded byte by byte.
    const worst = new URLSearchParams({ title: '😀'.repeat(200), body: '😀'.repeat(BODY_MAX) }).toString();
    expect(Buffer.byteLength(worst)).toBeLessThan(NOTE_FORM_BYTES);
    expect(encodeURIComponent('😀')).toHaveLength(BYTES_PER_CHARACTER_WORST);
    expect(JSON.stringify('\u0000').length - 2).toBeLessThan(BYTES_PER_CHARACTER_WORST);
  });

  it.each([
    ['docreate', { ...create, docreate: 'delete' }],
    ['notekey', { ...update, notekey: '' }],
    ['notekey', { ...update, notekey: '   ' }],
    ['notekey', { ...create, notekey: 'has space' }],
    ['notekey', { ...create, notekey: 'k'.repeat(65) }],
    ['notekey', { ...create, notekey: '../etc' }],
    ['title', { ...create, title: '' }],
    ['title', { ...create, title: '   ' }],
    ['title', { ...create, title: 't'.repeat(201) }],
    ['title', { ...create, title: 'two\nlines' }],
    ['title', { ...create, title: 'bell\u0007' }],
    ['title', { ...create, title: ['a', 'b'] }],
    ['body', { ...create, body: 'nul\u0000' }],
    ['body', { ...create, body: { nested: 'x' } }],
    ['version', { ...update, version: '' }],
    ['version', { ...update, version: '-1' }],
    ['version', { ...update, version: '1.5' }],
    ['version', { ...update, version: '1234567890' }],
  ])('refuses a bad %s with a 400 naming it (%j)', (field, form) => {
    expect(rejected(() => parseNoteForm(form))).toEqual({ status: 400, field });
  });

  it('names the first bad field when several are bad', () => {
    expect(rejected(() => parseNoteForm({ ...create, notekey: 'bad key', title: '' })).field).toBe('notekey');
  });

  it('ignores the version of a new note', () => {
    expect(parseNoteForm({ ...create, version: 'nonsense' }).version).toBe(0);
  });
});

describe('parsePageParam', () => {
  it('is page 1 when absent or empty, else the number', () => {
    expect(parsePageParam(undefined)).toBe(1);
    expect(parsePageParam('')).toBe(1);
    expect(parsePageParam('1')).toBe(1);
    expect(parsePageParam('42')).toBe(42);
    expect(parsePageParam('999999')).toBe(999_999);
  });

  it.each(['0', '-1', '1.5', 'two', '1e3', '1234567', ['1', '2']])('refuses %j naming page', (value) => {
    expect(rejected(() => parsePageParam(value))).toEqual({ status: 400, field: 'page' });
  });
});

describe('visibility and the list filter', () => {
  const create = { docreate: 'create', notekey: '', title: 'T', body: '' };

  it.each(['private', 'team', 'public'])('accepts visibility %s', (visibility) => {
    expect(parseNoteForm({ ...create, visibility })).toMatchObject({ visibility });
    expect(
      parseNoteForm({ docreate: 'update', notekey: 'k', title: 'T', version: '1', visibility }),
    ).toMatchObject({ visibility });
  });

  it('leaves it out when absent or empty (the default on create, unchanged on update)', () => {
    expect(parseNoteForm(create)).not.toHaveProperty('visibility');
    expect(parseNoteForm({ ...create, visibility: '' })).not.toHaveProperty('visibility');
  });

  it.each([['secret'], ['PUBLIC'], [['team', 'public']]])(
    'refuses visibility %j naming the field',
    (visibility) => {
      expect(rejected(() => parseNoteForm({ ...create, visibility }))).toEqual({
        status: 400,
        field: 'visibility',
      });
    },
  );

  it('reads the filter: all by default, mine, shared; anything else is a 400 naming it', () => {
    expect(parseListFilter(undefined)).toBe('all');
    expect(parseListFilter('')).toBe('all');
    expect(parseListFilter('mine')).toBe('mine');
    expect(parseListFilter('shared')).toBe('shared');
    expect(rejected(() => parseListFilter('others'))).toEqual({ status: 400, field: 'filter' });
    expect(rejected(() => parseListFilter(['mine']))).toEqual({ status: 400, field: 'filter' });
  });
});
