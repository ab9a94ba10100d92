/** The paging of a list or of search results as the pages show it: "21–40 of 1,234", links around. */
export interface PagerView {
  /** "21–40 of 1,234" (an en dash, thousands separated). */
  summary: string;
  first?: string;
  prev?: string;
  next?: string;
  last?: string;
  /** Page numbers around the current one. */
  pages: Array<{ number: number; href: string; current: boolean }>;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * `hrefFor(n)` is the URL of page n. Only pages that exist get links; one page alone needs none.
 */
export function pager(
  page: number,
  total: number,
  pageSize: number,
  hrefFor: (page: number) => string,
  exact = true,
): PagerView {
  // Not exact: there are more than `total` ("of 1,000+"), so a next page but no known last one.
  const pageCount = Math.max(1, Math.ceil(total / pageSize)) + (exact ? 0 : 1);
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const of = exact ? count(total) : `${count(total)}+`;
  const view: PagerView = { summary: `${count(from)}–${count(to)} of ${of}`, pages: [] };
  if (pageCount <= 1) return view;
  if (page > 1) {
    view.first = hrefFor(1);
    view.prev = hrefFor(page - 1);
  }
  if (page < pageCount) {
    view.next = hrefFor(page + 1);
    if (exact) view.last = hrefFor(pageCount);
  }
  for (let n = Math.max(1, page - 2); n <= Math.min(pageCount, page + 2); n++)
    view.pages.push({ number: n, href: hrefFor(n), current: n === page });
  return view;
}
