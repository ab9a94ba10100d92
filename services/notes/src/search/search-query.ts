import { bigrams, isCjk, words } from './search-text.js';

/**
 * What a person types in the search box, as terms both databases can run (search-dialect.ts turns
 * them into MariaDB's boolean mode or FTS5's query language):
 * - words: every one must occur (`to be or not to be` needs all six, stop words included);
 * - `"several words"`: a phrase, the words next to each other in that order;
 * - `word*`: a prefix (`notif*` finds "notification");
 * - `-word` or `-"a phrase"`: notes without it;
 * - a word joined by punctuation (`node.js`, `e-mail`) is the phrase of its parts, as it is indexed;
 * - a CJK word is the phrase of its two-character pieces (search-text.ts), so it is found inside a
 *   longer run; a single CJK character is a prefix of the pieces (found where it starts one).
 * Case and accents never matter: the query is folded like the index.
 */

export interface MatchTerm {
  /** Index terms in order; more than one means "next to each other" (a phrase). */
  tokens: string[];
  /** The last token may be the start of a longer one. */
  prefix: boolean;
}

/** One term as the snippet highlighter looks for it in the folded text. */
export interface HighlightTerm {
  /** Folded words (CJK runs whole), next to each other. */
  words: string[];
  prefix: boolean;
}

export interface SearchQuery {
  /** Terms that must match (at least one). */
  include: MatchTerm[];
  /** Terms that must not match. */
  exclude: MatchTerm[];
  highlight: HighlightTerm[];
}

export const QUERY_MAX_CHARACTERS = 200;
export const QUERY_MAX_TERMS = 12;

/** Why a query cannot run, in words for the person who typed it (the field is `q`). */
export class QueryProblem extends Error {}

const PART = /(-?)"([^"]*)"?|(-?)(\S+)/gu;

function matchTerm(folded: string[], prefix: boolean): MatchTerm | undefined {
  const tokens: string[] = [];
  for (const word of folded) tokens.push(...(isCjk(word[0] ?? '') ? bigrams(word) : [word]));
  if (tokens.length === 0) return undefined;
  const last = folded.at(-1) ?? '';
  // A lone CJK character is indexed only where it starts a two-character piece.
  const loneCjk = tokens.length === 1 && isCjk(last) && [...last].length === 1;
  return { tokens, prefix: prefix || loneCjk };
}

/** Parses the search box's text; throws QueryProblem for one that cannot run. */
export function parseQuery(text: string): SearchQuery {
  if ([...text].length > QUERY_MAX_CHARACTERS)
    throw new QueryProblem(`must be at most ${QUERY_MAX_CHARACTERS} characters`);
  const query: SearchQuery = { include: [], exclude: [], highlight: [] };
  for (const m of text.matchAll(PART)) {
    const negated = (m[1] || m[3]) === '-';
    const quoted = m[2] !== undefined;
    const raw = quoted ? (m[2] ?? '') : (m[4] ?? '');
    const prefix = !quoted && raw.endsWith('*');
    const folded = words(raw);
    const term = matchTerm(folded, prefix);
    if (!term) continue;
    if (negated) query.exclude.push(term);
    else {
      query.include.push(term);
      query.highlight.push({ words: folded, prefix: term.prefix });
    }
  }
  if (query.include.length + query.exclude.length > QUERY_MAX_TERMS)
    throw new QueryProblem(`must have at most ${QUERY_MAX_TERMS} words or phrases`);
  if (query.include.length === 0 && query.exclude.length > 0)
    throw new QueryProblem('needs a word to look for, not only words to leave out');
  return query;
}

/** True when there is nothing to look for (an empty box, or only punctuation). */
export function isEmptyQuery(query: SearchQuery): boolean {
  return query.include.length === 0;
}
