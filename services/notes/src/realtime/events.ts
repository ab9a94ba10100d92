import type { Comment } from '../comments/comment.js';
import type { Note } from '../notes/note.js';

/**
 * What the services announce, as plain domain objects; the realtime layer presents them for the
 * wire (the feature presenters) and fans them out (across replicas with Redis).
 */
export interface LiveEvents {
  noteCreated(note: Note): void;
  noteUpdated(note: Note): void;
  noteDestroyed(key: string): void;
  commentCreated(comment: Comment): void;
  commentDestroyed(key: string, id: number): void;
}
