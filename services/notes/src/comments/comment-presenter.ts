import { renderMarkdown } from '../notes/markdown.js';
import type { Note } from '../notes/note.js';
import { mayDeleteComment, mayEditComment, type Visitor } from '../notes/note-policy.js';
import { formatTime } from '../views/format-time.js';
import type { Comment } from './comment.js';

/** The wire form of a comment (DESIGN 4.2 `newmessage`), also what the page renders. */
export interface CommentView {
  id: number;
  key: string;
  from: string;
  /** The Markdown as its author wrote it (the edit form starts from it). */
  message: string;
  /** The Markdown rendered and sanitised by the server, as for notes but without images. */
  html: string;
  /** ISO 8601 instant. */
  timestamp: string;
  /** The same instant formatted exactly as the server-rendered page shows it. */
  time: string;
  /** When the author last changed it (ISO 8601), if ever. */
  edited?: string;
  /** That instant as the page shows it. */
  editedTime?: string;
}

export function presentComment(comment: Comment): CommentView {
  return {
    id: comment.id,
    key: comment.noteKey,
    from: comment.author,
    message: comment.message,
    html: renderMarkdown(comment.message, { images: false }),
    timestamp: comment.createdAt.toISOString(),
    time: formatTime(comment.createdAt),
    ...(comment.editedAt
      ? { edited: comment.editedAt.toISOString(), editedTime: formatTime(comment.editedAt) }
      : {}),
  };
}

/** Comments of one note for one visitor: each with the policy's answers to "may I edit / delete it". */
export function presentCommentsFor(
  comments: Comment[],
  note: Note,
  visitor: Visitor,
): Array<CommentView & { mayEdit: boolean; mayDelete: boolean }> {
  return comments.map((c) => ({
    ...presentComment(c),
    mayEdit: mayEditComment(visitor, note, c),
    mayDelete: mayDeleteComment(visitor, note, c),
  }));
}
