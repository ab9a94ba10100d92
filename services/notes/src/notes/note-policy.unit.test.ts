import { describe, expect, it } from 'vitest';
import {
  commentDeletion,
  mayChangeVisibility,
  mayComment,
  mayDelete,
  mayDeleteComment,
  mayEdit,
  mayEditComment,
  mayRead,
  mayShare,
  type NoteAccess,
  type Visibility,
  type Visitor,
} from './note-policy.js';

const grants = [
  { username: 'eddie', role: 'editor' },
  { username: 'vera', role: 'viewer' },
] as const;
const noteWith = (visibility: Visibility): NoteAccess => ({ owner: 'olga', visibility, grants });

const who: Record<string, Visitor> = {
  owner: { username: 'olga' },
  editor: { username: 'eddie' },
  viewer: { username: 'vera' },
  other: { username: 'sam' },
  anonymous: undefined,
};

// The expected answers, written out by hand (not derived from the policy): R read, E edit,
// D delete, S share and change visibility, C comment, '-' nothing.
const expected: Record<string, Record<Visibility, string>> = {
  owner: { private: 'REDSC', team: 'REDSC', public: 'REDSC' },
  editor: { private: 'REC', team: 'REC', public: 'REC' },
  viewer: { private: 'RC', team: 'RC', public: 'RC' },
  other: { private: '-', team: 'RC', public: 'RC' },
  anonymous: { private: '-', team: '-', public: 'R' },
};

function measured(visitor: Visitor, note: NoteAccess): string {
  const flags = [
    mayRead(visitor, note) ? 'R' : '',
    mayEdit(visitor, note) ? 'E' : '',
    mayDelete(visitor, note) ? 'D' : '',
    mayShare(visitor, note) && mayChangeVisibility(visitor, note) ? 'S' : '',
    mayComment(visitor, note) ? 'C' : '',
  ].join('');
  expect(mayShare(visitor, note)).toBe(mayChangeVisibility(visitor, note));
  return flags || '-';
}

describe('note policy: every role × visibility', () => {
  for (const [role, byVisibility] of Object.entries(expected)) {
    for (const visibility of ['private', 'team', 'public'] as const) {
      it(`${role} on a ${visibility} note: ${byVisibility[visibility]}`, () => {
        expect(measured(who[role], noteWith(visibility))).toBe(byVisibility[visibility]);
      });
    }
  }

  it('compares usernames exactly (they are case-sensitive)', () => {
    const note = noteWith('private');
    expect(mayEdit({ username: 'Olga' }, note)).toBe(false);
    expect(mayDelete({ username: 'olga ' }, note)).toBe(false);
    expect(mayRead({ username: 'Vera' }, note)).toBe(false);
  });

  it('a grant only counts for the user it names, and an editor grant never lets anyone delete or share', () => {
    const note: NoteAccess = {
      owner: 'olga',
      visibility: 'private',
      grants: [{ username: 'eddie', role: 'editor' }],
    };
    expect(mayRead({ username: 'vera' }, note)).toBe(false);
    expect(mayDelete({ username: 'eddie' }, note)).toBe(false);
    expect(mayShare({ username: 'eddie' }, note)).toBe(false);
  });
});

describe('note policy: comments', () => {
  const byOwner = { author: 'olga' };
  const bySam = { author: 'sam' };
  const byThird = { author: 'tess' };

  it.each([
    ['the note owner', who.owner, 'public', 'all', { byOwner: true, bySam: true, byThird: true }],
    ['a commenter', who.other, 'team', 'own', { byOwner: false, bySam: true, byThird: false }],
    [
      'another user on a private note',
      who.other,
      'private',
      'none',
      { byOwner: false, bySam: false, byThird: false },
    ],
    [
      'a viewer on a private note',
      { username: 'vera' },
      'private',
      'own',
      { byOwner: false, bySam: false, byThird: false },
    ],
    [
      'an anonymous visitor',
      who.anonymous,
      'public',
      'none',
      { byOwner: false, bySam: false, byThird: false },
    ],
  ] as const)('%s may delete %s', (_who, visitor, visibility, scope, may) => {
    const note = noteWith(visibility);
    expect(commentDeletion(visitor, note)).toBe(scope);
    expect({
      byOwner: mayDeleteComment(visitor, note, byOwner),
      bySam: mayDeleteComment(visitor, note, bySam),
      byThird: mayDeleteComment(visitor, note, byThird),
    }).toEqual(may);
  });

  it('a viewer may delete their own comment', () => {
    expect(mayDeleteComment({ username: 'vera' }, noteWith('private'), { author: 'vera' })).toBe(true);
  });

  it('an anonymous visitor may not delete a comment whatever its author field says', () => {
    expect(mayDeleteComment(who.anonymous, noteWith('public'), { author: '' })).toBe(false);
  });
});

describe('who may change a comment', () => {
  it('its author alone, not the note owner nor anyone else', () => {
    const note = noteWith('team');
    const bySam = { author: 'sam' };
    expect(mayEditComment({ username: 'sam' }, note, bySam)).toBe(true);
    expect(mayEditComment(who.owner, note, bySam)).toBe(false);
    expect(mayEditComment(who.editor, note, bySam)).toBe(false);
    expect(mayEditComment(who.anonymous, noteWith('public'), { author: '' })).toBe(false);
  });

  it('not once the author may no longer read the note', () => {
    expect(mayEditComment({ username: 'sam' }, noteWith('private'), { author: 'sam' })).toBe(false);
  });
});
