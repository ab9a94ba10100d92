import { AppError } from '@notes/kit';
import type { NoteRepository } from '../notes/note-repository.js';
import type { LiveEvents } from '../realtime/events.js';
import { formatTime } from '../views/format-time.js';
import type { Comment, CommentView } from './comment.js';
import type { CommentRepository } from './comment-repository.js';

export const COMMENTS_PER_PAGE = 20;

export function toCommentView(comment: Comment): CommentView {
  return {
    id: comment.id,
    key: comment.noteKey,
    from: comment.author,
    message: comment.message,
    timestamp: comment.createdAt.toISOString(),
    time: formatTime(comment.createdAt),
  };
}

/** The rules of comments: author from the session, delete by author or note owner. */
export class CommentService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly notes: NoteRepository,
    private readonly events: LiveEvents,
  ) {}

  async newest(noteKey: string, beforeId?: number): Promise<{ comments: CommentView[]; more: boolean }> {
    const { comments, more } = await this.comments.newest(noteKey, COMMENTS_PER_PAGE, beforeId);
    return { comments: comments.map(toCommentView), more };
  }

  async create(noteKey: string, author: string, message: string): Promise<CommentView> {
    const note = await this.notes.find(noteKey);
    if (!note) throw AppError.notFound(`No note with key "${noteKey}"`);
    const view = toCommentView(await this.comments.create({ noteKey, author, message }));
    this.events.commentCreated(view);
    return view;
  }

  async destroy(id: number, username: string): Promise<void> {
    const comment = await this.comments.find(id);
    if (!comment) throw AppError.notFound(`No comment with id ${id}`);
    if (comment.author !== username) {
      const note = await this.notes.find(comment.noteKey);
      if (!note || note.owner !== username)
        throw AppError.forbidden('Only the author of a comment or the owner of the note may delete it');
    }
    await this.comments.destroy(id);
    this.events.commentDestroyed(comment.noteKey, id);
  }
}
