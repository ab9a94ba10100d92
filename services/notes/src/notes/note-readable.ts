import { Op, type WhereOptions } from 'sequelize';
import type { Visitor } from './note-policy.js';

/**
 * The rule of `mayRead` (note-policy.ts) as a WHERE clause on `notes`, so that one page of the list
 * is one query and shows exactly the notes the visitor may read. It lives next to the policy: a
 * change to who may read changes both files, and the matrix test checks that they agree.
 *
 * - never a note in the trash;
 * - anonymous: `public` notes;
 * - signed in: `public` and `team` notes, their own notes, and the notes shared with them.
 */

/** The home list's filters: all the visitor may read, their own notes, the notes shared with them. */
export const LIST_FILTERS = ['all', 'mine', 'shared'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

/** `notes.key IN (keys shared with this user)`, as the repository writes it for its dialect. */
export type SharedWithSql = (username: string) => WhereOptions;

/** Live notes only: a note in the trash (DESIGN 4.8) is read by nobody, listed and found nowhere. */
export const NOT_TRASHED = { deletedAt: null } as const;

export function readableWhere(visitor: Visitor, filter: ListFilter, sharedWith: SharedWithSql): WhereOptions {
  return { [Op.and]: [NOT_TRASHED, readerRule(visitor, filter, sharedWith)] };
}

function readerRule(visitor: Visitor, filter: ListFilter, sharedWith: SharedWithSql): WhereOptions {
  if (visitor === undefined) return { visibility: 'public' };
  const { username } = visitor;
  if (filter === 'mine') return { owner: username };
  if (filter === 'shared') return { [Op.and]: [{ owner: { [Op.ne]: username } }, sharedWith(username)] };
  return {
    [Op.or]: [{ visibility: { [Op.in]: ['public', 'team'] } }, { owner: username }, sharedWith(username)],
  };
}
