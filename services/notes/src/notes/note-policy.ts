/**
 * Who may do what with a note (DESIGN 4.6): the one place that decides. Pages, `/notes/body`, the
 * list, the services and every socket event ask these functions; the browser only reads the flags
 * that the server rendered from them.
 *
 * The rule today: anyone (anonymous visitors too) may read every note; only its owner edits or
 * deletes it; every signed-in user may comment; a comment may be deleted by its author or by the
 * owner of the note. Sharing extends this module alone: `NoteAccess` gains the note's visibility and
 * its grants (viewer/editor), the functions read them, and every caller keeps asking the same
 * questions. Pure functions, no I/O: callers load the note (and comment) first.
 */

/** The person asking: a signed-in user, or undefined for an anonymous visitor. */
export type Visitor = { readonly username: string } | undefined;

/** What the policy needs to know about a note (a `Note` qualifies). */
export interface NoteAccess {
  readonly owner: string;
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

export function mayRead(_visitor: Visitor, _note: NoteAccess): boolean {
  return true;
}

export function mayEdit(visitor: Visitor, note: NoteAccess): boolean {
  return mayRead(visitor, note) && isOwner(visitor, note);
}

export function mayDelete(visitor: Visitor, note: NoteAccess): boolean {
  return mayRead(visitor, note) && isOwner(visitor, note);
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
