import type { Note } from '../notes/note.js';
import { mayDeleteComment, type Visitor } from '../notes/note-policy.js';
import { formatTime } from '../views/format-time.js';
import type { Comment } from './comment.js';

/** The wire form of a comment (DESIGN 4.2 `newmessage`), also what the page renders. */
export interface CommentView {
  id: number;
  key: string;
  from: string;
  message: string;
  /** ISO 8601 instant. */
  timestamp: string;
  /** The same instant formatted exactly as the server-rendered page shows it. */
  time: string;
}

export function presentComment(comment: Comment): CommentView {
  return {
    id: comment.id,
    key: comment.noteKey,
    from: comment.author,
    message: comment.message,
    timestamp: comment.createdAt.toISOString(),
    time: formatTime(comment.createdAt),
  };
}

/** Comments of one note for one visitor: each with the policy's answer to "may I delete it". */
export function presentCommentsFor(
  comments: Comment[],
  note: Note,
  visitor: Visitor,
): Array<CommentView & { mayDelete: boolean }> {
  return comments.map((c) => ({ ...presentComment(c), mayDelete: mayDeleteComment(visitor, note, c) }));
}
