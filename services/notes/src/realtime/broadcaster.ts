import type { Server } from 'socket.io';
import type { CommentView } from '../comments/comment.js';
import type { LiveEvents, NoteListItem, NoteUpdate } from './events.js';

export const HOME = '/home';
export const NOTES = '/notes';

/** LiveEvents over Socket.IO: `/home` gets small list events, `/notes` rooms (one per key) the details. */
export class Broadcaster implements LiveEvents {
  constructor(private readonly io: Server) {}

  noteCreated(note: NoteListItem): void {
    this.io.of(HOME).emit('notecreated', note);
  }

  noteUpdated(note: NoteUpdate): void {
    this.io.of(HOME).emit('noteupdated', { key: note.key, title: note.title, owner: note.owner });
    this.io.of(NOTES).to(note.key).emit('noteupdated', note);
  }

  noteDestroyed(key: string): void {
    this.io.of(HOME).emit('notedestroyed', key);
    this.io.of(NOTES).to(key).emit('notedestroyed', key);
  }

  commentCreated(comment: CommentView): void {
    this.io.of(NOTES).to(comment.key).emit('newmessage', comment);
  }

  commentDestroyed(key: string, id: number): void {
    this.io.of(NOTES).to(key).emit('destroymessage', { id, key });
  }
}
