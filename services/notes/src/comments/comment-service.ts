import { AppError } from '@notes/kit';
import type { Note } from '../notes/note.js';
import { mayComment, mayDeleteComment, mayEditComment, type Visitor } from '../notes/note-policy.js';
import type { NoteService } from '../notes/note-service.js';
import type { LiveEvents } from '../realtime/events.js';
import type { Comment } from './comment.js';
import type { CommentRepository } from './comment-repository.js';

export const COMMENTS_PER_PAGE = 20;

/** How long a deleted comment may be brought back (the page offers "Undo" this long). */
export const COMMENT_UNDO_MS = 5000;
/** A hidden comment is removed for good this long after its deletion (an undo sent late still lands). */
const PURGE_AFTER_MS = COMMENT_UNDO_MS + 1000;

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

  /** A comment and its note, for a visitor who may read the note (404 otherwise). */
  async forEdit(id: number, visitor: Visitor): Promise<{ comment: Comment; note: Note }> {
    const comment = await this.comments.find(id);
    if (!comment) throw AppError.notFound(`No comment with id ${id}`);
    const note = await this.notes.read(comment.noteKey, visitor);
    if (!mayEditComment(visitor, note, comment))
      throw AppError.forbidden('Only the author of a comment may change it');
    return { comment, note };
  }

  /** New text from the comment's author; every reader of the note sees it at once. */
  async edit(id: number, visitor: Visitor, message: string): Promise<Comment> {
    const { note } = await this.forEdit(id, visitor);
    const edited = await this.comments.edit(id, message);
    if (!edited) throw AppError.notFound(`No comment with id ${id}`);
    this.events.commentUpdated(note, edited);
    return edited;
  }

  /**
   * Deletes a comment for its author or the note's owner. `undoable`: hidden from every reader at
   * once and removed for good after COMMENT_UNDO_MS (and a little), unless `undoDestroy` comes first.
   */
  async destroy(id: number, visitor: Visitor, options: { undoable?: boolean } = {}): Promise<Comment> {
    const comment = await this.comments.find(id);
    if (!comment) throw AppError.notFound(`No comment with id ${id}`);
    const note = await this.notes.read(comment.noteKey, visitor);
    if (!mayDeleteComment(visitor, note, comment))
      throw AppError.forbidden('Only the author of a comment or the owner of the note may delete it');
    if (options.undoable) {
      if (!(await this.comments.markDeleted(id))) throw AppError.notFound(`No comment with id ${id}`);
      this.schedulePurge();
    } else {
      await this.comments.destroy(id);
    }
    this.events.commentDestroyed(note, id);
    return comment;
  }

  /** Brings back a comment deleted moments ago, for whoever could delete it. */
  async undoDestroy(id: number, visitor: Visitor): Promise<Comment> {
    const comment = await this.comments.findPending(id);
    if (!comment) throw AppError.conflict('Too late to undo: the comment is deleted for good');
    const note = await this.notes.read(comment.noteKey, visitor);
    if (!mayDeleteComment(visitor, note, comment))
      throw AppError.forbidden('Only the author of a comment or the owner of the note may delete it');
    if (!(await this.comments.restore(id)))
      throw AppError.conflict('Too late to undo: the comment is deleted for good');
    this.events.commentCreated(note, comment);
    return comment;
  }

  /**
   * Removes the hidden comments whose undo time is over, once that time has passed for this one;
   * also those left by a replica that stopped before its own purge ran.
   */
  private schedulePurge(): void {
    const timer = setTimeout(() => {
      this.purgeDue().catch(() => {
        /* the next deletion's purge takes them; they stay hidden meanwhile */
      });
    }, PURGE_AFTER_MS + 100);
    timer.unref();
  }

  /** Removes for good every comment hidden longer than the undo time; how many. */
  purgeDue(now = Date.now()): Promise<number> {
    return this.comments.purgeDeleted(new Date(now - PURGE_AFTER_MS));
  }
}
