import type { Comment } from '../comments/comment.js';
import type { Note } from '../notes/note.js';
import type { NoteAccess } from '../notes/note-policy.js';

/** A note's key with its access facts: what a live event needs to reach only the note's readers. */
export interface NoteRef extends NoteAccess {
  readonly key: string;
}

/**
 * What the services announce, as plain domain objects; the realtime layer presents them for the
 * wire (the feature presenters) and delivers them (across replicas with Redis) only to the sockets
 * whose visitor may read the note, as the policy says for the note's access facts at that moment.
 */
export interface LiveEvents {
  noteCreated(note: Note): void;
  /** `before`: the access facts before the change (visibility may have changed with the text). */
  noteUpdated(note: Note, before: NoteAccess): void;
  noteDestroyed(note: Note): void;
  /** The visibility or the grants changed without a new version of the text. */
  noteAccessChanged(note: NoteRef, before: NoteAccess): void;
  commentCreated(note: NoteRef, comment: Comment): void;
  /** Its author changed the text. */
  commentUpdated(note: NoteRef, comment: Comment): void;
  commentDestroyed(note: NoteRef, id: number): void;
}
