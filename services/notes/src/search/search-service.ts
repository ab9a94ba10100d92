import { AppError } from '@notes/kit';
import type { Visibility, Visitor } from '../notes/note-policy.js';
import { isEmptyQuery, parseQuery, QueryProblem, type SearchQuery } from './search-query.js';
import type { SearchFilters, SearchRepository } from './search-repository.js';
import { highlighter, markTitle, snippet } from './search-snippet.js';
import { plainText } from './search-text.js';

/** One result as the page shows it: title and snippet are escaped HTML with `<mark>` only. */
export interface SearchResultView {
  key: string;
  titleHtml: string;
  snippetHtml: string;
  owner: string;
  visibility: Visibility;
  updatedAt: Date;
}

export type SearchOutcome =
  | { kind: 'empty' }
  | {
      kind: 'results';
      results: SearchResultView[];
      /** All matches, or at least this many (`totalExact` false: "of 675+"). */
      total: number;
      totalExact: boolean;
      page: number;
      pageCount: number;
    }
  /** The page asked for is past the last one: go there (page 1 when nothing matches). */
  | { kind: 'redirect'; page: number };

/** The query as typed, read into terms; a 400 naming `q` when it cannot run. */
export function readQuery(text: string): SearchQuery {
  try {
    return parseQuery(text);
  } catch (err) {
    if (err instanceof QueryProblem) throw AppError.invalid('q', err.message);
    throw err;
  }
}

/** Full-text search over the notes a visitor may read (DESIGN 4.7). */
export class SearchService {
  constructor(
    private readonly repo: SearchRepository,
    private readonly pageSize: number,
  ) {}

  async search(text: string, filters: SearchFilters, page: number, visitor: Visitor): Promise<SearchOutcome> {
    const query = readQuery(text);
    if (isEmptyQuery(query)) return { kind: 'empty' };
    const { hits, total, exact } = await this.repo.page(
      visitor,
      query,
      filters,
      (page - 1) * this.pageSize,
      this.pageSize,
    );
    if (total === undefined) {
      if (page === 1) return { kind: 'results', results: [], total: 0, totalExact: true, page, pageCount: 0 };
      const count = await this.repo.count(visitor, query, filters);
      return { kind: 'redirect', page: Math.max(1, Math.ceil(count / this.pageSize)) };
    }
    const pattern = highlighter(query.highlight);
    return {
      kind: 'results',
      total,
      totalExact: exact,
      page,
      pageCount: Math.ceil(total / this.pageSize) + (exact ? 0 : 1),
      results: hits.map((hit) => ({
        key: hit.key,
        titleHtml: markTitle(hit.title, pattern),
        snippetHtml: snippet(plainText(hit.body), pattern),
        owner: hit.owner,
        visibility: hit.visibility,
        updatedAt: hit.updatedAt,
      })),
    };
  }

  get size(): number {
    return this.pageSize;
  }
}
