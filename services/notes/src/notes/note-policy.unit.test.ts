import { describe, expect, it } from 'vitest';
import {
  commentDeletion,
  mayComment,
  mayDelete,
  mayDeleteComment,
  mayEdit,
  mayRead,
  type Visitor,
} from './note-policy.js';

const note = { owner: 'olga' };
const owner: Visitor = { username: 'olga' };
const other: Visitor = { username: 'sam' };
const anonymous: Visitor = undefined;

describe('note policy: the note', () => {
  it.each([
    ['the owner', owner, { read: true, edit: true, delete: true, comment: true }],
    ['another signed-in user', other, { read: true, edit: false, delete: false, comment: true }],
    ['an anonymous visitor', anonymous, { read: true, edit: false, delete: false, comment: false }],
  ])('%s', (_who, visitor, may) => {
    expect({
      read: mayRead(visitor, note),
      edit: mayEdit(visitor, note),
      delete: mayDelete(visitor, note),
      comment: mayComment(visitor, note),
    }).toEqual(may);
  });

  it('compares usernames exactly (they are case-sensitive)', () => {
    expect(mayEdit({ username: 'Olga' }, note)).toBe(false);
    expect(mayDelete({ username: 'olga ' }, note)).toBe(false);
  });
});

describe('note policy: comments', () => {
  const byOwner = { author: 'olga' };
  const bySam = { author: 'sam' };
  const byThird = { author: 'tess' };

  it.each([
    ['the note owner', owner, 'all', { byOwner: true, bySam: true, byThird: true }],
    ['a commenter', other, 'own', { byOwner: false, bySam: true, byThird: false }],
    ['an anonymous visitor', anonymous, 'none', { byOwner: false, bySam: false, byThird: false }],
  ] as const)('%s may delete %s', (_who, visitor, scope, may) => {
    expect(commentDeletion(visitor, note)).toBe(scope);
    expect({
      byOwner: mayDeleteComment(visitor, note, byOwner),
      bySam: mayDeleteComment(visitor, note, bySam),
      byThird: mayDeleteComment(visitor, note, byThird),
    }).toEqual(may);
  });

  it('an anonymous visitor may not delete a comment whatever its author field says', () => {
    expect(mayDeleteComment(anonymous, note, { author: '' })).toBe(false);
  });
});
