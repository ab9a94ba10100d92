import { literal, type WhereOptions } from 'sequelize';
import type { Visitor } from './note-policy.js';

/**
 * The rule of `mayRead` (note-policy.ts) as a WHERE clause on `notes`, so that one page of the list
 * is one query and shows exactly the notes the visitor may read. It lives next to the policy: a
 * change to who may read changes both files, and the matrix test checks that they agree.
 *
 * - never a note in the trash;
 * - anonymous: `public` notes;
 * - signed in: `public` and `team` notes, their own notes, and the notes shared with them.
 *
 * One portable SQL text (MariaDB/MySQL and SQLite alike) with `?` parameters: it depends only on
 * the kind of visitor, the filter and the table's name in the query, never on a value, so that the
 * list is one prepared statement per kind of visitor. Queries built with Sequelize (search) take
 * the same rule through readableWhere.
 */

/** The home list's filters: all the visitor may read, their own notes, the notes shared with them. */
export const LIST_FILTERS = ['all', 'mine', 'shared'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

/** A WHERE condition and its parameters, in order. */
export interface SqlCondition {
  sql: string;
  params: string[];
}

/** Live notes only: a note in the trash (DESIGN 4.8) is read by nobody, listed and found nowhere. */
export const NOT_TRASHED = { deletedAt: null } as const;

/** `table` is the name or alias of `notes` in the query (its columns are qualified with it). */
export function readableSql(visitor: Visitor, filter: ListFilter, table: string): SqlCondition {
  const column = (name: string) => `\`${table}\`.\`${name}\``;
  const rule = readerRule(visitor, filter, column);
  return { sql: `${column('deletedAt')} IS NULL AND ${rule.sql}`, params: rule.params };
}

function readerRule(visitor: Visitor, filter: ListFilter, column: (name: string) => string): SqlCondition {
  if (visitor === undefined) return { sql: `${column('visibility')} = 'public'`, params: [] };
  const { username } = visitor;
  const sharedWith = `${column('key')} IN (SELECT noteKey FROM note_grants WHERE username = ?)`;
  if (filter === 'mine') return { sql: `${column('owner')} = ?`, params: [username] };
  if (filter === 'shared') {
    return { sql: `(${column('owner')} <> ? AND ${sharedWith})`, params: [username, username] };
  }
  return {
    sql: `(${column('visibility')} IN ('public', 'team') OR ${column('owner')} = ? OR ${sharedWith})`,
    params: [username, username],
  };
}

/**
 * readableSql as a Sequelize condition, its parameters quoted into the text by `quote` (the
 * instance's `db.escape`), for queries that Sequelize builds; `table` is the model's alias there.
 */
export function readableWhere(
  visitor: Visitor,
  filter: ListFilter,
  quote: (value: string) => string,
  table = 'Note',
): WhereOptions {
  const { sql, params } = readableSql(visitor, filter, table);
  let next = 0;
  // The rule's text has no `?` other than its parameters (its only string literals are visibilities).
  return literal(sql.replace(/\?/g, () => quote(params[next++] ?? '')));
}
