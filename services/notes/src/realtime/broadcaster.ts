import type { Server } from 'socket.io';
import type { Comment } from '../comments/comment.js';
import { presentComment } from '../comments/comment-presenter.js';
import type { Note } from '../notes/note.js';
import { presentNoteListItem, presentNoteUpdate } from '../notes/note-presenter.js';
import type { LiveEvents } from './events.js';

export const HOME = '/home';
export const NOTES = '/notes';

/**
 * LiveEvents over Socket.IO: `/home` gets small list events, `/notes` rooms (one per key) the details.
 * Each send is deferred to the next turn of the event loop, so the request that caused it is answered
 * first instead of waiting while the event is written to every local socket (in order: setImmediate
 * runs callbacks first in, first out).
 */
export class Broadcaster implements LiveEvents {
  constructor(private readonly io: Server) {}

  noteCreated(note: Note): void {
    const item = presentNoteListItem(note);
    setImmediate(() => {
      this.io.of(HOME).emit('notecreated', item);
    });
  }

  noteUpdated(note: Note): void {
    const item = presentNoteListItem(note);
    const update = presentNoteUpdate(note);
    setImmediate(() => {
      this.io.of(HOME).emit('noteupdated', item);
      this.io.of(NOTES).to(note.key).emit('noteupdated', update);
    });
  }

  noteDestroyed(key: string): void {
    setImmediate(() => {
      this.io.of(HOME).emit('notedestroyed', key);
      this.io.of(NOTES).to(key).emit('notedestroyed', key);
    });
  }

  commentCreated(comment: Comment): void {
    const view = presentComment(comment);
    setImmediate(() => {
      this.io.of(NOTES).to(view.key).emit('newmessage', view);
    });
  }

  commentDestroyed(key: string, id: number): void {
    setImmediate(() => {
      this.io.of(NOTES).to(key).emit('destroymessage', { id, key });
    });
  }
}
