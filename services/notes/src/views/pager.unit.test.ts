import { describe, expect, it } from 'vitest';
import { LIST_COUNT_STEP, listCountCap } from '../notes/note-repository.js';
import { pager } from './pager.js';

const href = (n: number) => `/?page=${n}`;

describe('pager', () => {
  it('an exact total: "21–40 of 1,234", first, previous, next and last', () => {
    const view = pager(2, 1234, 20, href);
    expect(view.summary).toBe('21–40 of 1,234');
    expect([view.first, view.prev, view.next, view.last]).toEqual([
      '/?page=1',
      '/?page=1',
      '/?page=3',
      '/?page=62',
    ]);
    expect(view.pages.map((p) => p.number)).toEqual([1, 2, 3, 4]);
  });

  it('a count that stopped at its cap: "of 1,000+", a next page but no last one', () => {
    const view = pager(1, 1000, 20, href, false);
    expect(view.summary).toBe('1–20 of 1,000+');
    expect(view.next).toBe('/?page=2');
    expect(view.last).toBeUndefined();
    const end = pager(50, 1000, 20, href, false);
    expect(end.summary).toBe('981–1,000 of 1,000+');
    expect(end.next).toBe('/?page=51');
    expect(end.last).toBeUndefined();
  });

  it('one page alone needs no links', () => {
    expect(pager(1, 7, 20, href)).toEqual({ summary: '1–7 of 7', pages: [] });
  });

  it('the list counts one step past the page, at least', () => {
    expect(LIST_COUNT_STEP).toBe(1000);
    expect(listCountCap(0, 20)).toBe(1001);
    expect(listCountCap(980, 20)).toBe(1001);
    expect(listCountCap(1000, 20)).toBe(2001);
  });
});
