import type { CommentView } from '../comments/comment.js';

/** Small list change for `/home` (DESIGN 4.2: never the whole list). */
export interface NoteListItem {
  key: string;
  title: string;
  owner: string;
}

/** `noteupdated` payload on `/notes` (room = the note key) and, reduced, on `/home`. */
export interface NoteUpdate {
  key: string;
  title: string;
  /** Markdown source; pages never insert it as HTML (they fetch the rendered body). */
  body: string;
  version: number;
  owner: string;
}

/** What the services announce; the realtime layer fans it out (across replicas with Redis). */
export interface LiveEvents {
  noteCreated(note: NoteListItem): void;
  noteUpdated(note: NoteUpdate): void;
  noteDestroyed(key: string): void;
  commentCreated(comment: CommentView): void;
  commentDestroyed(key: string, id: number): void;
}

/** For tools (migrate) and tests that need no fan-out. */
export const noLiveEvents: LiveEvents = {
  noteCreated: () => {},
  noteUpdated: () => {},
  noteDestroyed: () => {},
  commentCreated: () => {},
  commentDestroyed: () => {},
};
