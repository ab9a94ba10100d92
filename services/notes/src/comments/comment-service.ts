import { AppError } from '@notes/kit';
import type { Note } from '../notes/note.js';
import { mayComment, mayDeleteComment, type Visitor } from '../notes/note-policy.js';
import type { NoteService } from '../notes/note-service.js';
import type { LiveEvents } from '../realtime/events.js';
import type { Comment } from './comment.js';
import type { CommentRepository } from './comment-repository.js';

export const COMMENTS_PER_PAGE = 20;

/** The rules of comments: the author from the session, access through the note policy. */
export class CommentService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly notes: NoteService,
    private readonly events: LiveEvents,
  ) {}

  /** The newest comments of a note the caller has read (optionally older than comment `beforeId`). */
  async newest(note: Note, beforeId?: number): Promise<{ comments: Comment[]; more: boolean }> {
    return this.comments.newest(note.key, COMMENTS_PER_PAGE, beforeId);
  }

  async create(noteKey: string, visitor: Visitor, message: string): Promise<Comment> {
    const note = await this.notes.read(noteKey, visitor);
    if (!visitor) throw AppError.unauthorized('Log in to comment');
    if (!mayComment(visitor, note)) throw AppError.forbidden('You may not comment on this note');
    const comment = await this.comments.create({ noteKey, author: visitor.username, message });
    this.events.commentCreated(note, comment);
    return comment;
  }

  async destroy(id: number, visitor: Visitor): Promise<void> {
    const comment = await this.comments.find(id);
    if (!comment) throw AppError.notFound(`No comment with id ${id}`);
    const note = await this.notes.read(comment.noteKey, visitor);
    if (!mayDeleteComment(visitor, note, comment))
      throw AppError.forbidden('Only the author of a comment or the owner of the note may delete it');
    await this.comments.destroy(id);
    this.events.commentDestroyed(note, id);
  }
}
