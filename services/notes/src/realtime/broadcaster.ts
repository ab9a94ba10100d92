import type { Server } from 'socket.io';
import type { CommentView } from '../comments/comment.js';
import type { LiveEvents, NoteListItem, NoteUpdate } from './events.js';

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

  noteCreated(note: NoteListItem): void {
    setImmediate(() => {
      this.io.of(HOME).emit('notecreated', note);
    });
  }

  noteUpdated(note: NoteUpdate): void {
    setImmediate(() => {
      this.io.of(HOME).emit('noteupdated', { key: note.key, title: note.title, owner: note.owner });
      this.io.of(NOTES).to(note.key).emit('noteupdated', note);
    });
  }

  noteDestroyed(key: string): void {
    setImmediate(() => {
      this.io.of(HOME).emit('notedestroyed', key);
      this.io.of(NOTES).to(key).emit('notedestroyed', key);
    });
  }

  commentCreated(comment: CommentView): void {
    setImmediate(() => {
      this.io.of(NOTES).to(comment.key).emit('newmessage', comment);
    });
  }

  commentDestroyed(key: string, id: number): void {
    setImmediate(() => {
      this.io.of(NOTES).to(key).emit('destroymessage', { id, key });
    });
  }
}
