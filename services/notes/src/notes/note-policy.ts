/**
 * Who may do what with a note (DESIGN 4.6): the one place that decides. Pages, `/notes/body`, the
 * list (through `note-readable.ts`, the same rule as a WHERE clause, kept next to this file), the
 * services and every socket join and live event ask these functions; the browser only reads the
 * flags that the server rendered from them.
 *
 * The rule:
 * - a note is `private` (its owner and the people it is shared with), `team` (every signed-in user)
 *   or `public` (anyone, anonymous visitors too);
 * - a grant shares a note with one named user as `viewer` (read and comment) or `editor` (also edit);
 * - the owner does everything: edit, delete, change the visibility, share;
 * - every signed-in reader may comment; a comment may be deleted by its author or the note's owner,
 *   and changed by its author alone (while they may still comment on the note).
 * Pure functions, no I/O: callers load the note (its visibility and grants) first.
 */

export const VISIBILITIES = ['private', 'team', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const GRANT_ROLES = ['viewer', 'editor'] as const;
export type GrantRole = (typeof GRANT_ROLES)[number];

export interface Grant {
  readonly username: string;
  readonly role: GrantRole;
}

/** The person asking: a signed-in user, or undefined for an anonymous visitor. */
export type Visitor = { readonly username: string } | undefined;

/** What the policy needs to know about a note (a `Note` qualifies). */
export interface NoteAccess {
  readonly owner: string;
  readonly visibility: Visibility;
  readonly grants: readonly Grant[];
}

/** What the policy needs to know about a comment (a `Comment` qualifies). */
export interface CommentAccess {
  readonly author: string;
}

/** Which comments of a note a visitor may delete: every one, only their own, or none. */
export type CommentDeletion = 'all' | 'own' | 'none';

function isOwner(visitor: Visitor, note: NoteAccess): boolean {
  return visitor !== undefined && visitor.username === note.owner;
}

/** The visitor's grant on the note, if any. */
export function grantOf(visitor: Visitor, note: NoteAccess): GrantRole | undefined {
  if (visitor === undefined) return undefined;
  return note.grants.find((g) => g.username === visitor.username)?.role;
}

export function mayRead(visitor: Visitor, note: NoteAccess): boolean {
  if (note.visibility === 'public') return true;
  if (visitor === undefined) return false;
  if (note.visibility === 'team') return true;
  return isOwner(visitor, note) || grantOf(visitor, note) !== undefined;
}

export function mayEdit(visitor: Visitor, note: NoteAccess): boolean {
  return isOwner(visitor, note) || grantOf(visitor, note) === 'editor';
}

export function mayDelete(visitor: Visitor, note: NoteAccess): boolean {
  return isOwner(visitor, note);
}

/** Sharing (grants, read-only links) and changing the visibility: the owner only. */
export function mayShare(visitor: Visitor, note: NoteAccess): boolean {
  return isOwner(visitor, note);
}

export function mayChangeVisibility(visitor: Visitor, note: NoteAccess): boolean {
  return isOwner(visitor, note);
}

export function mayComment(visitor: Visitor, note: NoteAccess): boolean {
  return visitor !== undefined && mayRead(visitor, note);
}

/**
 * The comments of this note that the visitor may delete. The page renders it once, so that comments
 * arriving live get the same delete buttons as the server-rendered ones.
 */
export function commentDeletion(visitor: Visitor, note: NoteAccess): CommentDeletion {
  if (visitor === undefined || !mayRead(visitor, note)) return 'none';
  return isOwner(visitor, note) ? 'all' : 'own';
}

export function mayDeleteComment(visitor: Visitor, note: NoteAccess, comment: CommentAccess): boolean {
  const scope = commentDeletion(visitor, note);
  return scope === 'all' || (scope === 'own' && visitor?.username === comment.author);
}

export function mayEditComment(visitor: Visitor, note: NoteAccess, comment: CommentAccess): boolean {
  return mayComment(visitor, note) && visitor?.username === comment.author;
}

/** The access facts of a note alone (what live events carry to every replica). */
export function accessOf(note: NoteAccess): NoteAccess {
  return {
    owner: note.owner,
    visibility: note.visibility,
    grants: note.grants.map((g) => ({ username: g.username, role: g.role })),
  };
}
