import { thrownBy } from '@notes/testkit';
import { describe, expect, it } from 'vitest';
import { parseCommentId, parseMessage } from './comment-input.js';

const rejected = (fn: () => unknown) => {
  const err = thrownBy(fn);
  return { status: err.status, field: err.field };
};

describe('parseMessage', () => {
  it('trims, folds CRLF to LF, keeps tabs, Markdown and HTML-looking text as typed', () => {
    expect(parseMessage('  hello\r\nworld\t<b>!</b>  ')).toBe('hello\nworld\t<b>!</b>');
  });

  it('accepts a message at the 2000-character limit', () => {
    expect(parseMessage('m'.repeat(2000))).toHaveLength(2000);
    expect(parseMessage(`  ${'m'.repeat(2000)}  `)).toHaveLength(2000);
  });

  it.each([undefined, null, 42, ['hi'], '', '   \r\n ', 'm'.repeat(2001), 'nul\u0000', 'esc\u001b[0m'])(
    'refuses %j naming message',
    (value) => {
      expect(rejected(() => parseMessage(value))).toEqual({ status: 400, field: 'message' });
    },
  );
});

describe('parseCommentId', () => {
  it('accepts a positive whole number', () => {
    expect(parseCommentId(1)).toBe(1);
    expect(parseCommentId(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1, '1', undefined, null])(
    'refuses %j naming the field',
    (value) => {
      expect(rejected(() => parseCommentId(value))).toEqual({ status: 400, field: 'id' });
      expect(rejected(() => parseCommentId(value, 'commentId')).field).toBe('commentId');
    },
  );
});
